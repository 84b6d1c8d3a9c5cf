/**
 * Hands bundled with Talon, embedded as assets so the binary needs nothing
 * from the source tree at run time. Each is `hands/<id>/HAND.toml` and
 * `hands/<id>/SOP.md`.
 *
 * @module
 */
import researcherToml from "../../hands/researcher/HAND.toml" with { type: "text" };
import researcherSop from "../../hands/researcher/SOP.md" with { type: "text" };
import collectorToml from "../../hands/collector/HAND.toml" with { type: "text" };
import collectorSop from "../../hands/collector/SOP.md" with { type: "text" };
import leadToml from "../../hands/lead/HAND.toml" with { type: "text" };
import leadSop from "../../hands/lead/SOP.md" with { type: "text" };
import predictorToml from "../../hands/predictor/HAND.toml" with { type: "text" };
import predictorSop from "../../hands/predictor/SOP.md" with { type: "text" };
import socialToml from "../../hands/social/HAND.toml" with { type: "text" };
import socialSop from "../../hands/social/SOP.md" with { type: "text" };
import browserToml from "../../hands/browser/HAND.toml" with { type: "text" };
import browserSop from "../../hands/browser/SOP.md" with { type: "text" };
import clipToml from "../../hands/clip/HAND.toml" with { type: "text" };
import clipSop from "../../hands/clip/SOP.md" with { type: "text" };
import type { HandPackage } from "./hand_package.ts";

/** The bundled Hands. */
export const BUNDLED_HANDS: readonly HandPackage[] = [
  { handToml: researcherToml, sopMd: researcherSop, where: "hands/researcher" },
  { handToml: collectorToml, sopMd: collectorSop, where: "hands/collector" },
  { handToml: leadToml, sopMd: leadSop, where: "hands/lead" },
  { handToml: predictorToml, sopMd: predictorSop, where: "hands/predictor" },
  { handToml: socialToml, sopMd: socialSop, where: "hands/social" },
  { handToml: browserToml, sopMd: browserSop, where: "hands/browser" },
  { handToml: clipToml, sopMd: clipSop, where: "hands/clip" },
];
