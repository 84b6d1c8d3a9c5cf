/**
 * The misbehaving test plugin (spin, hog, crash, remember, fetch, count),
 * built and fuel-instrumented by `deno task build`, loaded with a memory cap.
 *
 * @module
 */
import { capMemory, type PluginCall } from "../../../kernel/sandbox/mod.ts";

/** The instrumented misbehaving plugin's bytes. */
export const MISBEHAVING_WASM: Uint8Array<ArrayBuffer> = await Deno.readFile(
  new URL("./plugins/misbehaving/plugin.wasm", import.meta.url),
);

/** Memory cap the tests load plugins with: 64 pages (4 MiB). */
export const TEST_PAGES = 64;

/** The misbehaving plugin compiled with a {@link TEST_PAGES} cap. */
export const MISBEHAVING: WebAssembly.Module = new WebAssembly.Module(
  capMemory(MISBEHAVING_WASM, TEST_PAGES),
);

/** A call of `name` with defaults: 10^8 fuel, no grants. */
export function callOf(name: string, extra: Partial<PluginCall> = {}): PluginCall {
  return {
    export: name,
    input: "",
    fuel: 100_000_000n,
    grants: [],
    maxPages: TEST_PAGES,
    ...extra,
  };
}

/**
 * Worker start limit for tests: under `deno test` each new Worker's modules
 * are type-checked, which took ~40 s for five at once on a loaded 2-core box.
 */
export const TEST_WORKER_START_MS = 600_000;
