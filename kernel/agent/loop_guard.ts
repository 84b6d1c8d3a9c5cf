/**
 * The loop guard: catches a model that keeps making the same tool call. Each
 * call is hashed (name + RFC 8785 canonical arguments); three identical calls
 * in a row earn a warning appended to the result, five are blocked with a
 * note instead of running. A→B→A→B ping-pong is caught the same way: warned
 * at four alternating calls, blocked at six.
 *
 * @module
 */
import canonicalize from "canonicalize";
import { sha256Hex } from "../security/mod.ts";
import type { ToolCall } from "../types.ts";

/** What to do with one call. */
export type GuardVerdict =
  | { action: "allow" }
  | { action: "warn"; note: string }
  | { action: "block"; note: string };

/** Thresholds; the defaults are the documented ones. */
export interface LoopGuardOptions {
  warnRepeats?: number;
  blockRepeats?: number;
  warnAlternations?: number;
  blockAlternations?: number;
}

/** The identity of a call: SHA-256 of its name and canonical arguments. */
export function callHash(call: Pick<ToolCall, "name" | "args">): string {
  return sha256Hex(`${call.name}\n${canonicalize(call.args) ?? "null"}`);
}

/** Tracks the calls of one turn. */
export class LoopGuard {
  readonly #history: { hash: string; name: string }[] = [];
  readonly #warnRepeats: number;
  readonly #blockRepeats: number;
  readonly #warnAlternations: number;
  readonly #blockAlternations: number;

  constructor(options: LoopGuardOptions = {}) {
    this.#warnRepeats = options.warnRepeats ?? 3;
    this.#blockRepeats = options.blockRepeats ?? 5;
    this.#warnAlternations = options.warnAlternations ?? 4;
    this.#blockAlternations = options.blockAlternations ?? 6;
  }

  /** Records `call` and says whether it may run. */
  check(call: ToolCall): GuardVerdict {
    this.#history.push({ hash: callHash(call), name: call.name });
    const repeats = this.#trailingRepeats();
    if (repeats >= this.#blockRepeats) {
      return {
        action: "block",
        note:
          `[loop guard] Blocked: this is call ${repeats} in a row of "${call.name}" with identical arguments, and it was not run. Do not repeat it; use the results you already have, try a different approach, or give your final answer.`,
      };
    }
    if (repeats >= this.#warnRepeats) {
      return {
        action: "warn",
        note:
          `[loop guard] Warning: you have called "${call.name}" with identical arguments ${repeats} times in a row. At ${this.#blockRepeats} the call will be blocked; change approach or answer.`,
      };
    }
    const alternations = this.#trailingAlternations();
    if (alternations >= this.#warnAlternations) {
      const n = this.#history.length;
      const pair = `"${this.#history[n - 2]!.name}" and "${this.#history[n - 1]!.name}"`;
      if (alternations >= this.#blockAlternations) {
        return {
          action: "block",
          note:
            `[loop guard] Blocked: you have alternated between ${pair} with the same arguments ${alternations} times (ping-pong), and this call was not run. Stop alternating; use what you have or give your final answer.`,
        };
      }
      return {
        action: "warn",
        note:
          `[loop guard] Warning: you are alternating between ${pair} with the same arguments (${alternations} calls). At ${this.#blockAlternations} the calls will be blocked.`,
      };
    }
    return { action: "allow" };
  }

  #trailingRepeats(): number {
    const h = this.#history;
    const last = h[h.length - 1]!.hash;
    let n = 0;
    for (let i = h.length - 1; i >= 0 && h[i]!.hash === last; i--) n++;
    return n;
  }

  /** Length of the trailing A,B,A,B… run (A ≠ B); 0 when there is none. */
  #trailingAlternations(): number {
    const h = this.#history;
    if (h.length < 2 || h[h.length - 1]!.hash === h[h.length - 2]!.hash) return 0;
    let n = 2;
    for (let i = h.length - 3; i >= 0 && h[i]!.hash === h[i + 2]!.hash; i--) n++;
    return n;
  }
}
