/**
 * Manifest text (an agent manifest today; Hand and skill manifests later)
 * as JSON or TOML, told apart in one place. The result is unchecked: each
 * caller validates it with its own schema (`AgentManifest`, …).
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { TalonError } from "./errors.ts";

/** The two manifest formats. */
export type ManifestFormat = "json" | "toml";

/**
 * The format of `text`: the `hint` decides when it names one (a file name
 * ending `.json`/`.toml`, a media type `application/json`/`application/toml`,
 * or the format itself); otherwise a text whose first non-blank character
 * is `{` is JSON (no TOML document starts with one) and anything else TOML.
 */
export function manifestFormatOf(text: string, hint?: string): ManifestFormat {
  const h = hint?.trim().toLowerCase() ?? "";
  if (h === "json" || h.endsWith(".json") || /^application\/json\b/.test(h)) return "json";
  if (h === "toml" || h.endsWith(".toml") || /^application\/toml\b/.test(h)) return "toml";
  return text.trimStart().startsWith("{") ? "json" : "toml";
}

/** Options of {@link parseManifestText}. */
export interface ParseManifestOptions {
  /** A file name, media type or format that says which format the text is in. */
  hint?: string;
  /** What the text is, for messages: `manifest agent.toml`; none: the message starts "not valid". */
  source?: string;
}

/**
 * Parses manifest text as JSON or TOML ({@link manifestFormatOf}); throws
 * `invalid_manifest` naming the format, line and column when it is neither.
 */
export function parseManifestText(text: string, options: ParseManifestOptions = {}): unknown {
  const format = manifestFormatOf(text, options.hint);
  try {
    return format === "json" ? JSON.parse(text) : parseToml(text);
  } catch (cause) {
    const where = positionOf(cause, text);
    const reason = reasonOf(cause);
    const at = where ? ` at line ${where.line}, column ${where.column}` : "";
    const subject = options.source ? `${options.source} is not` : "not";
    throw new TalonError(
      "invalid_manifest",
      `${subject} valid ${format.toUpperCase()}${at}: ${reason}`,
      { cause, details: { format, ...where } },
    );
  }
}

/** The parser's own words, one line, without the position it also gives. */
function reasonOf(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.split("\n")[0]!
    .replace(/^Invalid TOML document: /, "")
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?$/, "")
    .trim();
}

/** Where parsing failed: smol-toml says it; V8's JSON errors give a position or a line. */
function positionOf(cause: unknown, text: string): { line: number; column: number } | undefined {
  const e = cause as { line?: unknown; column?: unknown; message?: unknown };
  if (typeof e.line === "number" && typeof e.column === "number") {
    return { line: e.line, column: e.column };
  }
  const message = typeof e.message === "string" ? e.message : "";
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  const offset = position
    ? Number(position[1])
    : /end of JSON input/.test(message)
    ? text.length
    : -1;
  if (offset < 0) return undefined;
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
