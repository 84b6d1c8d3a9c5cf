/**
 * Anchors of the audit chain: its head (id and hash) appended as a JSON line
 * to `audit-anchors.jsonl` in the data dir — periodically on the kernel's
 * Clock and at shutdown — and optionally POSTed to a configured URL. The
 * file is opened append-only and kept 0600. A later verification checks that
 * every anchored entry is still in the chain with the same hash, which is
 * how a truncated or rewritten tail shows (see audit.ts).
 *
 * @module
 */
import type { Clock, ClockTimer } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { AnchoredHead } from "./audit.ts";

/** One line of the anchor file. */
export interface AuditAnchor extends AnchoredHead {
  ts: string;
  reason: "periodic" | "shutdown" | "manual";
}

/** What {@link AuditAnchors} needs. */
export interface AuditAnchorsOptions {
  /** The anchor file (`<data-dir>/audit-anchors.jsonl`). */
  path: string;
  /** The chain's current head; null while the log is empty. */
  head: () => AnchoredHead | null;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  /** Sends an anchor elsewhere (the configured URL); failures are logged, not fatal. */
  publish?: (anchor: AuditAnchor) => Promise<void>;
}

/** Writes anchors of the chain's head and reads them back. */
export class AuditAnchors {
  readonly #options: AuditAnchorsOptions;
  #timer: ClockTimer | undefined;
  #last: AnchoredHead | undefined;

  constructor(options: AuditAnchorsOptions) {
    this.#options = options;
  }

  /** Starts periodic anchoring on the clock. */
  start(): void {
    const { clock, intervalMs } = this.#options;
    const tick = () => {
      this.anchor("periodic");
      this.#timer = clock.setTimeout(tick, intervalMs);
    };
    this.#timer = clock.setTimeout(tick, intervalMs);
  }

  /** Stops periodic anchoring. */
  stop(): void {
    if (this.#timer) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Appends the current head (unless it is the one anchored last, or the log
   * is empty) and publishes it; returns the anchor written, if any. A write
   * failure is logged: anchoring never takes the kernel down.
   */
  anchor(reason: AuditAnchor["reason"]): AuditAnchor | undefined {
    const { head, path, log, clock, publish } = this.#options;
    const current = head();
    if (!current) return undefined;
    this.#last ??= this.read().at(-1);
    if (this.#last && this.#last.id === current.id && this.#last.hash === current.hash) {
      return undefined;
    }
    const anchor: AuditAnchor = {
      ts: new Date(clock.now()).toISOString(),
      id: current.id,
      hash: current.hash,
      reason,
    };
    try {
      const file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
      try {
        file.writeSync(new TextEncoder().encode(JSON.stringify(anchor) + "\n"));
      } finally {
        file.close();
      }
    } catch (error) {
      log.error("could not anchor the audit head", { path, error });
      return undefined;
    }
    this.#last = anchor;
    publish?.(anchor).catch((error) =>
      log.warn("could not publish an audit anchor", { id: anchor.id, error })
    );
    return anchor;
  }

  /** Every anchor in the file, oldest first; unreadable lines are skipped with a warning. */
  read(): AuditAnchor[] {
    let text: string;
    try {
      text = Deno.readTextFileSync(this.#options.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    const anchors: AuditAnchor[] = [];
    for (const [i, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue;
      try {
        const a = JSON.parse(line) as AuditAnchor;
        if (Number.isSafeInteger(a.id) && typeof a.hash === "string") {
          anchors.push(a);
          continue;
        }
      } catch {
        // reported below
      }
      this.#options.log.warn("unreadable audit anchor line", {
        path: this.#options.path,
        line: i + 1,
      });
    }
    return anchors;
  }
}
