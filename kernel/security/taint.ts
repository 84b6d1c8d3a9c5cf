/**
 * Taint tracking. A turn becomes tainted once it takes in content from
 * outside Talon — a fetched page, search results, an MCP result, an A2A
 * reply, a channel message, another agent's message or reply — and keeps
 * the list of where that content came from. A tainted turn that reaches a
 * high-risk sink (tools declare both sides in their definitions) waits for a
 * person's approval, which shows these sources.
 *
 * @module
 */

/** What kind of outside content tainted a turn. */
export const TAINT_KINDS = ["tool", "agent", "channel", "a2a"] as const;
/** A taint kind. */
export type TaintKind = (typeof TAINT_KINDS)[number];

/** One place outside content came from. */
export interface TaintSource {
  kind: TaintKind;
  /** The tool that took it in (`web_fetch`, `mcp_docs_search`), when a tool did. */
  tool?: string;
  /** What it came from, in words: a URL, `MCP server "docs"`, `agent "scout"`. */
  label: string;
  /** The host it was fetched from, when it came over the network. */
  host?: string;
}

/** What a tool's sink rule sees of the turn's taint. */
export interface TaintView {
  readonly tainted: boolean;
  readonly sources: readonly TaintSource[];
  /** True when the turn took in content from `host` (lower case). */
  hasFetchedFrom(host: string): boolean;
}

/** The taint of one turn; `onSource` hears each new source (to publish and audit it). */
export class TurnTaint implements TaintView {
  readonly #sources: TaintSource[] = [];
  readonly #keys = new Set<string>();
  readonly #hosts = new Set<string>();
  readonly #onSource?: (source: TaintSource) => void;

  constructor(options: { onSource?: (source: TaintSource) => void } = {}) {
    this.#onSource = options.onSource;
  }

  /** True once any outside content came in. */
  get tainted(): boolean {
    return this.#sources.length > 0;
  }

  /** Where the outside content came from, in the order it came. */
  get sources(): readonly TaintSource[] {
    return this.#sources;
  }

  /** True when the turn took in content from `host`. */
  hasFetchedFrom(host: string): boolean {
    return this.#hosts.has(host.toLowerCase());
  }

  /** Records a source; one already recorded is not recorded (or announced) again. */
  add(source: TaintSource): void {
    if (source.host) this.#hosts.add(source.host.toLowerCase());
    const key = `${source.kind}\u0000${source.tool ?? ""}\u0000${source.label}`;
    if (this.#keys.has(key)) return;
    this.#keys.add(key);
    const copy = { ...source };
    this.#sources.push(copy);
    this.#onSource?.(copy);
  }
}

/** The sources in words, for an approval's rule: `web_fetch http://x/, agent "scout"`. */
export function describeTaint(sources: readonly TaintSource[], max = 5): string {
  const words = sources.slice(0, max).map((s) => s.tool ? `${s.tool} ${s.label}` : s.label);
  const more = sources.length > max ? ` and ${sources.length - max} more` : "";
  return words.join(", ") + more;
}
