/**
 * Reads one Hand package — `HAND.toml` and `SOP.md` — into a validated
 * manifest and its operating procedure. HAND.toml goes through the kernel's
 * one manifest parser and the one `HandManifest` schema; every refusal names
 * the field (`settings.0.type`) and the file.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { parseManifestText } from "../manifest_text.ts";
import { describeIssues, HandManifest, issueFields } from "../types.ts";

/** The files of one Hand. */
export interface HandPackage {
  handToml: string;
  sopMd: string;
  /** Where it came from, for messages: `hands/researcher`. */
  where: string;
}

/** A Hand that passed every check. */
export interface LoadedHand {
  manifest: HandManifest;
  sop: string;
  where: string;
}

/** Words an SOP must have at least. */
export const SOP_MIN_WORDS = 500;
/** The phases an SOP walks through, in order, each under its own heading. */
export const SOP_PHASES = ["plan", "gather", "verify", "produce", "deliver"] as const;

/** Words of a text (runs of letters or digits). */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

/**
 * What is wrong with an SOP: fewer than {@link SOP_MIN_WORDS} words, or a
 * phase with no heading of its own, or phases out of order. Empty when fine.
 */
export function sopProblems(sop: string): string[] {
  const problems: string[] = [];
  const words = wordCount(sop);
  if (words < SOP_MIN_WORDS) {
    problems.push(`it has ${words} words; an SOP needs at least ${SOP_MIN_WORDS}`);
  }
  const headings = sop.split("\n").filter((l) => /^#{1,4}\s/.test(l)).map((l) => l.toLowerCase());
  let last = -1;
  for (const phase of SOP_PHASES) {
    const at = headings.findIndex((h) => new RegExp(`\\b${phase}\\b`).test(h));
    if (at < 0) problems.push(`it has no heading for the ${phase} phase`);
    else if (at < last) problems.push(`its ${phase} phase comes before the one it should follow`);
    else last = at;
  }
  return problems;
}

/**
 * Parses and checks a package: `invalid_manifest` (with `fields`) for a bad
 * HAND.toml, an id that is not its folder's name, approval gates on tools
 * it does not list, or an SOP that is too short or lacks a phase. Whether
 * the MCP servers it names are configured is checked at activation.
 */
export function loadHandPackage(pkg: HandPackage): LoadedHand {
  const file = `${pkg.where}/HAND.toml`;
  const raw = parseManifestText(pkg.handToml, { hint: "toml", source: file });
  const parsed = HandManifest.safeParse(raw);
  if (!parsed.success) {
    throw new TalonError("invalid_manifest", `${file}: ${describeIssues(parsed.error)}`, {
      fields: issueFields(parsed.error),
      details: { hand: pkg.where },
    });
  }
  const manifest = parsed.data;
  const invalid = (field: string, message: string): TalonError =>
    new TalonError("invalid_manifest", `${file}: ${field}: ${message}`, {
      fields: { [field]: message },
      details: { hand: manifest.id },
    });
  const folder = pkg.where.split("/").at(-1);
  if (folder !== manifest.id) {
    throw invalid(
      "id",
      `is "${manifest.id}" but the Hand's folder is "${folder}"; make them equal`,
    );
  }
  manifest.approval.tools.forEach((tool, i) => {
    if (!manifest.tools.includes(tool)) {
      throw invalid(`approval.tools.${i}`, `gates "${tool}", which is not in tools`);
    }
  });
  const problems = sopProblems(pkg.sopMd);
  if (problems.length > 0) {
    throw new TalonError("invalid_manifest", `${pkg.where}/SOP.md: ${problems.join("; ")}`, {
      details: { hand: manifest.id, problems },
    });
  }
  return { manifest, sop: pkg.sopMd, where: pkg.where };
}
