/**
 * Runs one call of a fuel-instrumented plugin with Extism: a fresh instance
 * per call (so no state leaks between calls or agents, and a trap leaves
 * nothing broken behind), the fuel budget set before the call and read after
 * it, and only the granted host functions answering — the others refuse.
 * Works in-process and inside the sandbox Worker (`worker_entry.ts`), where
 * the host bridge blocks on the kernel through a SharedArrayBuffer.
 *
 * @module
 */
import type { CallContext, ExtismPluginOptions } from "@extism/extism";

type ExtismLogger = NonNullable<ExtismPluginOptions["logger"]>;
import { FUEL_GLOBAL } from "./fuel.ts";
import { WASM_PAGE_BYTES } from "./wasm_module.ts";

/** Host functions a skill may be granted (namespace `extism:host/user`). */
export const HOST_FUNCTIONS = ["kv_get", "kv_set", "net_fetch", "log"] as const;
/** A host function name. */
export type HostFunctionName = typeof HOST_FUNCTIONS[number];

/** The import namespace of host functions. */
export const HOST_NAMESPACE = "extism:host/user";

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

/** Runs `call` on a fresh instance of `module`; never throws. */
export async function runPluginCall(
  module: WebAssembly.Module,
  call: PluginCall,
  bridge: HostBridge,
): Promise<PluginResult> {
  let denied: HostDenied | undefined;
  const host = (fn: HostFunctionName) => (ctx: CallContext, ...ptrs: bigint[]): bigint => {
    if (!call.grants.includes(fn)) {
      denied ??= new HostDenied(fn);
      throw denied;
    }
    const args = ptrs.map((p) => ctx.read(p)?.text() ?? "");
    const out = bridge(fn, args);
    return out === null ? 0n : ctx.store(out);
  };
  const log = (level: string) => (message: unknown) => {
    if (call.grants.includes("log")) bridge("log", [level, String(message)]);
  };
  let plugin;
  try {
    // Loaded on first use: the kernel's main thread only needs this module's constants.
    const { default: createPlugin } = await import("@extism/extism");
    plugin = await createPlugin({ wasm: [{ module }] }, {
      useWasi: false,
      functions: {
        [HOST_NAMESPACE]: Object.fromEntries(HOST_FUNCTIONS.map((fn) => [fn, host(fn)])),
      },
      logger: {
        info: log("info"),
        debug: log("debug"),
        warn: log("warn"),
        error: log("error"),
      } as unknown as ExtismLogger,
    });
  } catch (cause) {
    return {
      ok: false,
      kind: "trap",
      message: `could not start: ${messageOf(cause)}`,
      fuel_used: 0n,
    };
  }
  const instance = await plugin.getInstance();
  const fuel = instance.exports[FUEL_GLOBAL] as WebAssembly.Global | undefined;
  const memory = instance.exports.memory as WebAssembly.Memory | undefined;
  const used = () => (fuel ? call.fuel - BigInt(fuel.value) : 0n);
  try {
    if (!fuel) {
      return {
        ok: false,
        kind: "trap",
        message: "the plugin is not fuel-instrumented",
        fuel_used: 0n,
      };
    }
    fuel.value = call.fuel;
    const output = await plugin.call(call.export, call.input);
    return { ok: true, output: output?.text() ?? "", fuel_used: used() };
  } catch (cause) {
    return failure(cause, { denied, fuel, memory, call, used: used() });
  } finally {
    await plugin.close();
  }
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
