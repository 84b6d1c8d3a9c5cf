/**
 * Plain-text rendering for CLI listings: aligned columns, no colours.
 *
 * @module
 */
import { formatTs } from "../kernel/format.ts";

/** Renders rows as aligned columns under a header. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** JSON for `--json` output: two-space indent and a trailing newline. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** A timestamp to the minute for tables, `2026-11-22 14:03` (kernel/format.ts), or `-`. */
export function shortTime(iso: string | null): string {
  return iso ? formatTs(iso, { seconds: false }) : "-";
}
