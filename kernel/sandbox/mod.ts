/**
 * Sandboxing, in layers: the path jail that keeps file tools inside an
 * agent's workspace; the process runner that runs argv-only commands in
 * their own process group with a cleared environment and a timeout; and,
 * for code that is not ours, fuel instrumentation (build/install time),
 * memory caps, import checks and state exports on a module's bytes, an
 * Extism host that runs each call on an instance in a fresh instance's state
 * (reset between calls, never shared mid-call), and the pool of permission-less
 * Workers with a wall-clock watchdog.
 *
 * @module
 */
export { type JailedPath, type JailUse, PathJail } from "./path_jail.ts";
export { runProcess, type RunProcessOptions, type RunProcessResult } from "./process_runner.ts";
export { FUEL_GLOBAL, instrumentFuel, isFuelInstrumented, START_FUEL } from "./fuel.ts";
export { capMemory, exportedFunctions, importedFunctions, WASM_PAGE_BYTES } from "./wasm_module.ts";
export {
  clearPluginInstances,
  HOST_FUNCTIONS,
  HOST_NAMESPACE,
  type HostBridge,
  type HostFunctionName,
  moduleKey,
  type PluginCall,
  type PluginFailureKind,
  pluginInstanceCounts,
  type PluginResult,
  runPluginCall,
  type RunPluginOptions,
} from "./wasm_host.ts";
export { CACHED_MODULES, IDLE_PER_MODULE, type InstanceCounts } from "./plugin_instances.ts";
export {
  type HostHandler,
  WORKER_ENV_KEYS,
  WORKER_START_MS,
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerRunOptions,
} from "./worker_pool.ts";
