/**
 * Sandboxing: the path jail that keeps file tools inside an agent's
 * workspace, and the process runner that runs argv-only commands in their
 * own process group with a cleared environment and a timeout.
 *
 * @module
 */
export { type JailedPath, type JailUse, PathJail } from "./path_jail.ts";
export { runProcess, type RunProcessOptions, type RunProcessResult } from "./process_runner.ts";
