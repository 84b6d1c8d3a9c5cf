/**
 * Sandbox Workers for code that is not ours: each call runs in a Deno
 * Worker with no permissions (but two environment reads Extism makes when
 * it loads), one call per Worker at a time. A watchdog terminates the
 * Worker at the call's wall-clock limit, counted from the call, waiting for
 * a Worker and its start-up included (`worker.terminate()` stops even a
 * spinning WASM loop), or when the caller aborts; a fresh Worker serves the
 * next call. Host calls from the plugin are answered here, asynchronously,
 * while the Worker blocks.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import {
  type HostFunctionName,
  moduleKey,
  type PluginCall,
  type PluginResult,
} from "./wasm_host.ts";
import { answerHostCall, type WorkerReply, type WorkerRequest } from "./worker_protocol.ts";

/** Environment keys Extism (and its bundled minimatch) read when loaded. */
export const WORKER_ENV_KEYS = ["EXTISM_ENABLE_WASI_OUTPUT", "__MINIMATCH_TESTING_PLATFORM__"];

/** Answers one host call of a plugin; a throw becomes the host function's error. */
export type HostHandler = (fn: HostFunctionName, args: string[]) => Promise<string | null>;

/** Options for {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Most Workers alive at once; further calls wait for one (default 4). */
  maxWorkers?: number;
  /** Largest answer a host call may return, in bytes (default 1 MiB). */
  hostReplyBytes?: number;
  /**
   * How long a new Worker may take to load before it counts as failed
   * (default 60 s; ~100 ms on an idle machine, far longer when its modules are
   * type-checked on a loaded one, as under `deno test`).
   */
  startTimeoutMs?: number;
  log?: Logger;
}

/** Options of one {@link WorkerPool.run}. */
export interface WorkerRunOptions {
  /** Wall-clock limit; the Worker is terminated past it. */
  timeoutMs: number;
  /** Answers the plugin's host calls. */
  host: HostHandler;
  signal?: AbortSignal;
}

/** How long a new Worker may take to load before it counts as failed. */
export const WORKER_START_MS = 60_000;

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Resolves once the Worker has loaded and can take calls. */
  ready: Promise<boolean>;
  startTimer?: ReturnType<typeof setTimeout>;
  onReply?: (reply: WorkerReply) => void;
  onCrash?: (message: string) => void;
}

/** A pool of sandbox Workers with a watchdog per call. */
export class WorkerPool {
  readonly #max: number;
  readonly #replyBytes: number;
  readonly #startMs: number;
  readonly #log?: Logger;
  readonly #slots = new Set<Slot>();
  readonly #waiting: Array<() => void> = [];
  #nextId = 1;
  #closed = false;
  /** Workers terminated by the watchdog or an abort, since start. */
  terminated = 0;

  constructor(options: WorkerPoolOptions = {}) {
    this.#max = options.maxWorkers ?? 4;
    this.#replyBytes = options.hostReplyBytes ?? 1_048_576;
    this.#startMs = options.startTimeoutMs ?? WORKER_START_MS;
    this.#log = options.log;
  }

  /** Workers alive now (busy or idle). */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * Runs one call in a Worker; never throws for plugin failures. The
   * wall-clock limit counts from this call, so waiting for a free Worker and
   * a new Worker's start-up are inside it: whatever the machine's load, the
   * call ends at its limit.
   */
  async run(
    module: WebAssembly.Module,
    call: PluginCall,
    options: WorkerRunOptions,
  ): Promise<PluginResult> {
    if (this.#closed) throw new TypeError("the worker pool is closed");
    const failed = (kind: "timeout" | "cancelled" | "crashed", message: string): PluginResult => ({
      ok: false,
      kind,
      message,
      fuel_used: 0n,
    });
    const expired = new AbortController();
    const timer = setTimeout(() => expired.abort(), options.timeoutMs);
    const stop = options.signal
      ? AbortSignal.any([options.signal, expired.signal])
      : expired.signal;
    let slot: Slot;
    try {
      slot = await this.#acquire(stop);
    } catch (error) {
      clearTimeout(timer);
      if (!stop.aborted) throw error;
      return expired.signal.aborted
        ? failed(
          "timeout",
          `the plugin did not start within ${options.timeoutMs} ms: every sandbox Worker stayed busy`,
        )
        : failed("cancelled", "the call was cancelled while it waited for a sandbox Worker");
    }
    const id = this.#nextId++;
    let onAbort: (() => void) | undefined;
    let onExpired: (() => void) | undefined;
    try {
      return await new Promise<PluginResult>((resolve) => {
        let settled = false;
        const finish = (result: PluginResult) => {
          settled = true;
          resolve(result);
        };
        const kill = (result: PluginResult) => {
          this.#discard(slot);
          this.terminated++;
          finish(result);
        };
        onExpired = () =>
          kill(failed(
            "timeout",
            `the plugin did not finish within ${options.timeoutMs} ms; its Worker was terminated`,
          ));
        if (expired.signal.aborted) return onExpired();
        expired.signal.addEventListener("abort", onExpired, { once: true });
        onAbort = () =>
          kill(failed("cancelled", "the call was cancelled; its Worker was terminated"));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener("abort", onAbort, { once: true });
        slot.ready.then((ok) => {
          if (settled) return;
          if (!ok) {
            this.#discard(slot);
            return finish(failed("crashed", "the sandbox Worker did not start"));
          }
          slot.onCrash = (message) => {
            this.#discard(slot);
            finish(failed("crashed", `the sandbox Worker failed: ${message}`));
          };
          slot.onReply = (reply) => {
            if (reply.type === "ready" || reply.id !== id) return;
            if (reply.type === "result") return finish(reply.result);
            options.host(reply.fn, reply.args).then(
              (value) => answerHostCall(reply.reply, { value }),
              (error) => answerHostCall(reply.reply, { error: messageOf(error) }),
            );
          };
          const request: WorkerRequest = {
            id,
            module,
            key: moduleKey(module),
            call,
            replyBytes: this.#replyBytes,
          };
          slot.worker.postMessage(request);
        });
      });
    } finally {
      clearTimeout(timer);
      if (onExpired) expired.signal.removeEventListener("abort", onExpired);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      this.#release(slot);
    }
  }

  /** Terminates every Worker; later calls throw. */
  close(): void {
    this.#closed = true;
    for (const slot of this.#slots) {
      clearTimeout(slot.startTimer);
      slot.worker.terminate();
    }
    this.#slots.clear();
    for (const wake of this.#waiting.splice(0)) wake();
  }

  /** A free Worker (a new one if there is room); throws when `stop` aborts first. */
  async #acquire(stop: AbortSignal): Promise<Slot> {
    for (;;) {
      if (this.#closed) throw new TypeError("the worker pool is closed");
      stop.throwIfAborted();
      const idle = [...this.#slots].find((s) => !s.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.#slots.size < this.#max) {
        const slot = this.#spawn();
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          stop.removeEventListener("abort", gone);
          resolve();
        };
        // A call that stops waiting gives up its place, so no release wakes it in vain.
        const gone = () => {
          this.#waiting.splice(this.#waiting.indexOf(wake) >>> 0, 1);
          resolve();
        };
        this.#waiting.push(wake);
        stop.addEventListener("abort", gone, { once: true });
      });
    }
  }

  #spawn(): Slot {
    const worker = new Worker(new URL("./worker_entry.ts", import.meta.url), {
      type: "module",
      name: "talon-sandbox",
      deno: {
        permissions: {
          env: WORKER_ENV_KEYS,
          read: false,
          write: false,
          net: false,
          run: false,
          ffi: false,
          sys: false,
          import: false,
        },
      },
    });
    let started: (ok: boolean) => void = () => {};
    const slot: Slot = {
      worker,
      busy: false,
      ready: new Promise<boolean>((resolve) => (started = resolve)),
    };
    const startTimer = setTimeout(() => started(false), this.#startMs);
    slot.startTimer = startTimer;
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (event.data.type === "ready") {
        clearTimeout(startTimer);
        started(true);
      } else slot.onReply?.(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(startTimer);
      started(false);
      this.#log?.warn("sandbox worker failed", { error: event.message });
      slot.onCrash?.(event.message);
    };
    worker.onmessageerror = () => slot.onCrash?.("a message could not be read");
    this.#slots.add(slot);
    return slot;
  }

  #discard(slot: Slot): void {
    clearTimeout(slot.startTimer);
    slot.worker.terminate();
    this.#slots.delete(slot);
  }

  #release(slot: Slot): void {
    slot.busy = false;
    slot.onReply = undefined;
    slot.onCrash = undefined;
    this.#waiting.shift()?.();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
