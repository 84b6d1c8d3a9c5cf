/**
 * The badge tone of an agent (or run) state, shared by the server's
 * `StateBadge` and the islands that redraw a badge in the browser.
 *
 * @module
 */

const TONE: Record<string, string> = {
  running: "ok",
  created: "info",
  paused: "warn",
  suspended: "muted",
  killed: "bad",
};

/** The CSS class of a state's badge, e.g. `badge badge-ok`. */
export function stateBadgeClass(state: string): string {
  return `badge badge-${TONE[state] ?? "muted"}`;
}
