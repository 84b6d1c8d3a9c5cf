/**
 * Hands: packaged autonomous capabilities. The loader of `hands/<id>/`
 * (HAND.toml + SOP.md, bundled as assets), the requirement checks, the
 * runtime of instances, reports, and the tools Hands work with.
 *
 * @module
 */
export { BUNDLED_HANDS } from "./bundled.ts";
export {
  type HandPackage,
  type LoadedHand,
  loadHandPackage,
  SOP_MIN_WORDS,
  SOP_PHASES,
  sopProblems,
  wordCount,
} from "./hand_package.ts";
export {
  checkRequirements,
  findBinary,
  permissionFlag,
  type RequirementProbe,
} from "./requirements.ts";
export { HandService, type HandServiceDeps, metricValue, systemPrompt } from "./hand_service.ts";
export { ReportService } from "./report_service.ts";
export { brierScore, HAND_TOOL_NAMES, handTools, type HandToolsDeps } from "./hand_tools.ts";
export { pageText } from "./page_text.ts";
