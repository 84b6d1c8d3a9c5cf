/**
 * Runs one call of a fuel-instrumented plugin with Extism: every call finds
 * its instance in the state of a fresh one — a reused instance is reset
 * (`plugin_instances.ts`), and one whose call failed is dropped — so no state
 * leaks between calls or agents and a trap leaves nothing broken behind; the
 * fuel budget is set before the call and read after it, and only the granted
 * host functions answer — the others refuse. Extism variables last one call.
 * Works in-process and inside the sandbox Worker (`worker_entry.ts`), where
 * the host bridge blocks on the kernel through a SharedArrayBuffer.
 *
 * @module
 */
import type { CallContext, ExtismPluginOptions, Plugin } from "@extism/extism";
import { FUEL_GLOBAL } from "./fuel.ts";
import {
  InstanceCache,
  type InstanceCounts,
  restoreSnapshot,
  type StateSnapshot,
  takeSnapshot,
} from "./plugin_instances.ts";
import { WASM_PAGE_BYTES } from "./wasm_module.ts";

type ExtismLogger = NonNullable<ExtismPluginOptions["logger"]>;

/** Host functions a skill may be granted (namespace `extism:host/user`). */
export const HOST_FUNCTIONS = ["kv_get", "kv_set", "net_fetch", "log"] as const;
/** A host function name. */
export type HostFunctionName = typeof HOST_FUNCTIONS[number];

/** The import namespace of host functions. */
export const HOST_NAMESPACE = "extism:host/user";
/** The import namespace of Extism's own runtime functions. */
const EXTISM_NAMESPACE = "extism:host/env";

/** Answers a host call synchronously: a string result, or null for "nothing". */
export type HostBridge = (fn: HostFunctionName, args: string[]) => string | null;

/** One call of a plugin export. */
export interface PluginCall {
  /** The export to call. */
  export: string;
  /** Its input (JSON text for skill tools). */
  input: string;
  /** Fuel budget for this call. */
  fuel: bigint;
  /** Host functions this plugin may call. */
  grants: readonly HostFunctionName[];
  /** The memory cap the module was loaded with, in pages (for diagnosis). */
  maxPages: number;
}

/** Why a call failed. */
export type PluginFailureKind =
  | "fuel_exhausted"
  | "memory_exhausted"
  | "host_denied"
  | "trap"
  | "plugin_error"
  | "timeout"
  | "cancelled"
  | "crashed";

/** How a call ended; `fuel_used` is exact when the call ran in WASM. */
export type PluginResult =
  | { ok: true; output: string; fuel_used: bigint }
  | { ok: false; kind: PluginFailureKind; message: string; fuel_used: bigint };

class HostDenied extends Error {
  constructor(readonly fn: string) {
    super(`host function "${fn}" was not granted to this plugin; the call was refused`);
  }
}

/** Options of {@link runPluginCall}. */
export interface RunPluginOptions {
  /** Answers granted host calls (default: every one answers "nothing"). */
  bridge?: HostBridge;
  /**
   * The module's key for the instance cache; defaults to {@link moduleKey}.
   * A sandbox Worker gets a copy of the module with each call, so the pool
   * sends the key of the kernel's module object along.
   */
  key?: number;
}

interface Live {
  call: PluginCall;
  bridge: HostBridge;
  denied?: HostDenied;
  /** Extism variables the plugin set during this call. */
  vars: Map<string, Uint8Array>;
}

interface Entry {
  plugin: Plugin;
  fuel?: WebAssembly.Global;
  memory?: WebAssembly.Memory;
  snapshot: StateSnapshot | null;
  /** The call running on this instance, which its host functions answer for. */
  live: Live | null;
}

const cache = new InstanceCache<Entry>((entry) => void entry.plugin.close());
const keys = new WeakMap<WebAssembly.Module, number>();
let nextKey = 1;

/** This realm's cache key for a compiled module: one per module object, never reused. */
export function moduleKey(module: WebAssembly.Module): number {
  let key = keys.get(module);
  if (key === undefined) keys.set(module, key = nextKey++);
  return key;
}

/** How many instances were created and reused in this realm so far, and how many are idle. */
export function pluginInstanceCounts(): InstanceCounts {
  return cache.counts();
}

/** Closes every idle instance in this realm (the next call of each module instantiates it). */
export function clearPluginInstances(): void {
  cache.clear();
}

/**
 * Runs `call` on an instance of `module` in the state a fresh one has: a
 * reset idle instance when there is one, else a new one. Never throws.
 */
export async function runPluginCall(
  module: WebAssembly.Module,
  call: PluginCall,
  options: RunPluginOptions = {},
): Promise<PluginResult> {
  const key = options.key ?? moduleKey(module);
  let entry = cache.take(key);
  if (!entry) {
    try {
      entry = await instantiate(module);
      cache.created++;
    } catch (cause) {
      return {
        ok: false,
        kind: "trap",
        message: `could not start: ${messageOf(cause)}`,
        fuel_used: 0n,
      };
    }
  }
  const { fuel, plugin } = entry;
  if (!fuel) {
    await plugin.close();
    return {
      ok: false,
      kind: "trap",
      message: "the plugin is not fuel-instrumented",
      fuel_used: 0n,
    };
  }
  const live: Live = { call, bridge: options.bridge ?? noBridge, vars: new Map() };
  entry.live = live;
  const used = () => call.fuel - BigInt(fuel.value);
  let result: PluginResult;
  try {
    fuel.value = call.fuel;
    const output = await plugin.call(["0", call.export], call.input);
    result = { ok: true, output: output?.text() ?? "", fuel_used: used() };
  } catch (cause) {
    result = failure(cause, {
      denied: live.denied,
      fuel,
      memory: entry.memory,
      call,
      used: used(),
    });
  }
  entry.live = null;
  if (result.ok && entry.snapshot && restoreSnapshot(entry.snapshot) && await plugin.reset()) {
    cache.give(key, entry);
  } else await plugin.close();
  return result;
}

const noBridge: HostBridge = () => null;

async function instantiate(module: WebAssembly.Module): Promise<Entry> {
  // Loaded on first use: the kernel's main thread only needs this module's constants.
  const { default: createPlugin } = await import("@extism/extism");
  const entry = { live: null } as Entry;
  const host = (fn: HostFunctionName) => (ctx: CallContext, ...ptrs: bigint[]): bigint => {
    const live = entry.live;
    if (!live) throw new Error(`host function "${fn}" called outside a call`);
    if (!live.call.grants.includes(fn)) {
      live.denied ??= new HostDenied(fn);
      throw live.denied;
    }
    const args = ptrs.map((p) => ctx.read(p)?.text() ?? "");
    const out = live.bridge(fn, args);
    return out === null ? 0n : ctx.store(out);
  };
  const log = (level: string) => (message: unknown) => {
    const live = entry.live;
    if (live?.call.grants.includes("log")) live.bridge("log", [level, String(message)]);
  };
  entry.plugin = await createPlugin({ wasm: [{ module }] }, {
    useWasi: false,
    functions: {
      [HOST_NAMESPACE]: Object.fromEntries(HOST_FUNCTIONS.map((fn) => [fn, host(fn)])),
      // Extism keeps variables across calls; these keep them for one call only.
      [EXTISM_NAMESPACE]: {
        var_get: (ctx: CallContext, key: bigint): bigint => {
          const value = entry.live?.vars.get(ctx.read(key)?.text() ?? "");
          return value ? ctx.store(value) : 0n;
        },
        var_set: (ctx: CallContext, key: bigint, value: bigint): void => {
          const vars = entry.live?.vars;
          const name = ctx.read(key)?.text();
          if (!vars || name === undefined) return;
          const bytes = value === 0n ? undefined : ctx.read(value)?.bytes().slice();
          if (bytes) vars.set(name, bytes);
          else vars.delete(name);
        },
      },
    },
    logger: {
      info: log("info"),
      debug: log("debug"),
      warn: log("warn"),
      error: log("error"),
    } as unknown as ExtismLogger,
  });
  const instance = await entry.plugin.getInstance();
  entry.fuel = instance.exports[FUEL_GLOBAL] as WebAssembly.Global | undefined;
  entry.memory = instance.exports.memory as WebAssembly.Memory | undefined;
  entry.snapshot = takeSnapshot(instance);
  return entry;
}

function failure(
  cause: unknown,
  state: {
    denied?: HostDenied;
    fuel?: WebAssembly.Global;
    memory?: WebAssembly.Memory;
    call: PluginCall;
    used: bigint;
  },
): PluginResult {
  const { call, used } = state;
  if (state.denied) {
    return { ok: false, kind: "host_denied", message: state.denied.message, fuel_used: used };
  }
  if (!(cause instanceof WebAssembly.RuntimeError)) {
    return { ok: false, kind: "plugin_error", message: messageOf(cause), fuel_used: used };
  }
  if (state.fuel && BigInt(state.fuel.value) === 0n) {
    return {
      ok: false,
      kind: "fuel_exhausted",
      message:
        `FuelExhausted: the plugin used its whole budget of ${call.fuel} fuel and was stopped`,
      fuel_used: used,
    };
  }
  const pages = state.memory ? state.memory.buffer.byteLength / WASM_PAGE_BYTES : 0;
  if (pages * 4 >= call.maxPages * 3) {
    return {
      ok: false,
      kind: "memory_exhausted",
      message: `the plugin ran out of memory at ${pages} of its ${call.maxPages} pages (${
        call.maxPages * WASM_PAGE_BYTES / 1_048_576
      } MiB cap) and trapped`,
      fuel_used: used,
    };
  }
  return {
    ok: false,
    kind: "trap",
    message: `the plugin trapped: ${messageOf(cause)}`,
    fuel_used: used,
  };
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
