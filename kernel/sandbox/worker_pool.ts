/**
 * Sandbox Workers for code that is not ours: each call runs in a Deno
 * Worker with no permissions (but two environment reads Extism makes when
 * it loads), one call per Worker at a time. A watchdog terminates the
 * Worker at the call's wall-clock limit (`worker.terminate()` stops even a
 * spinning WASM loop) or when the caller aborts; a fresh Worker serves the
 * next call. Host calls from the plugin are answered here, asynchronously,
 * while the Worker blocks.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { HostFunctionName, PluginCall, PluginResult } from "./wasm_host.ts";
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
    this.#log = options.log;
  }

  /** Workers alive now (busy or idle). */
  get size(): number {
    return this.#slots.size;
  }

  /** Runs one call in a Worker; never throws for plugin failures. */
  async run(
    module: WebAssembly.Module,
    call: PluginCall,
    options: WorkerRunOptions,
  ): Promise<PluginResult> {
    if (this.#closed) throw new TypeError("the worker pool is closed");
    const slot = await this.#acquire();
    const id = this.#nextId++;
    if (!(await slot.ready)) {
      this.#discard(slot);
      this.#release(slot);
      return {
        ok: false,
        kind: "crashed",
        message: "the sandbox Worker did not start",
        fuel_used: 0n,
      };
    }
    const failed = (kind: "timeout" | "cancelled" | "crashed", message: string): PluginResult => ({
      ok: false,
      kind,
      message,
      fuel_used: 0n,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<PluginResult>((resolve) => {
        const kill = (result: PluginResult) => {
          this.#discard(slot);
          this.terminated++;
          resolve(result);
        };
        timer = setTimeout(
          () =>
            kill(failed(
              "timeout",
              `the plugin did not finish within ${options.timeoutMs} ms; its Worker was terminated`,
            )),
          options.timeoutMs,
        );
        onAbort = () =>
          kill(failed("cancelled", "the call was cancelled; its Worker was terminated"));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener("abort", onAbort, { once: true });
        slot.onCrash = (message) => {
          this.#discard(slot);
          resolve(failed("crashed", `the sandbox Worker failed: ${message}`));
        };
        slot.onReply = (reply) => {
          if (reply.type === "ready" || reply.id !== id) return;
          if (reply.type === "result") return resolve(reply.result);
          options.host(reply.fn, reply.args).then(
            (value) => answerHostCall(reply.reply, { value }),
            (error) => answerHostCall(reply.reply, { error: messageOf(error) }),
          );
        };
        const request: WorkerRequest = { id, module, call, replyBytes: this.#replyBytes };
        slot.worker.postMessage(request);
      });
    } finally {
      clearTimeout(timer);
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

  async #acquire(): Promise<Slot> {
    for (;;) {
      if (this.#closed) throw new TypeError("the worker pool is closed");
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
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
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
    const startTimer = setTimeout(() => started(false), WORKER_START_MS);
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
