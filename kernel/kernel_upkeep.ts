/**
 * The kernel's housekeeping: the audit anchors it keeps, the hourly prune of
 * old events and expired web sessions, and the daily memory decay pass.
 *
 * @module
 */
import type { ClockTimer } from "./clock.ts";
import { DATA_FILES, dataPath } from "./data_dir.ts";
import type { Kernel } from "./kernel.ts";
import { AuditAnchors } from "./security/mod.ts";
import * as store from "./store/mod.ts";

/** The anchors of the kernel's audit head, published to `audit.anchor_url` when set. */
export function auditAnchorsOf(kernel: Kernel): AuditAnchors {
  const anchorUrl = kernel.config.audit.anchor_url;
  return new AuditAnchors({
    path: dataPath(kernel.dataDir, DATA_FILES.auditAnchors),
    head: () => {
      const last = store.lastAuditEntry(kernel.db);
      return last ? { id: last.id, hash: last.hash } : null;
    },
    clock: kernel.clock,
    log: kernel.log,
    intervalMs: kernel.config.audit.anchor_interval_ms,
    publish: anchorUrl === undefined ? undefined : async (anchor) => {
      const res = await kernel.webGuard.fetch(anchorUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(anchor),
      });
      if (res.status >= 400) throw new Error(`anchor URL answered ${res.status}`);
    },
  });
}

/** The kernel's periodic chores; `stop()` clears their timers. */
export class KernelUpkeep {
  readonly #kernel: Kernel;
  readonly #pruneTimer: ReturnType<typeof setInterval>;
  #decayTimer: ClockTimer | undefined;

  /** Starts the hourly prune (an unref'd timer: it never keeps the process alive). */
  constructor(kernel: Kernel) {
    this.#kernel = kernel;
    this.#pruneTimer = setInterval(() => {
      this.pruneEvents();
      kernel.webSessions.prune();
    }, 3_600_000);
    Deno.unrefTimer(this.#pruneTimer);
  }

  /** Deletes events past their retention; returns how many. */
  pruneEvents(): number {
    const now = Date.now();
    const { retention_days, token_retention_hours } = this.#kernel.config.events;
    return store.pruneEvents(this.#kernel.db, {
      before: new Date(now - retention_days * 86_400_000).toISOString(),
      tokensBefore: new Date(now - token_retention_hours * 3_600_000).toISOString(),
    });
  }

  /** Runs a decay pass now and again every day. */
  startMemoryDecay(): void {
    const { memory, log, clock } = this.#kernel;
    const pass = () => {
      try {
        const lowered = memory.decay();
        if (lowered > 0) log.info("memory decay lowered confidences", { facts: lowered });
      } catch (error) {
        log.warn("memory decay failed", { error });
      }
      this.#decayTimer = clock.setTimeout(pass, 86_400_000);
    };
    pass();
  }

  /** Clears the timers; safe to call more than once. */
  stop(): void {
    clearInterval(this.#pruneTimer);
    if (this.#decayTimer) this.#kernel.clock.clearTimeout(this.#decayTimer);
    this.#decayTimer = undefined;
  }
}
