/**
 * Messages between the kernel and a sandbox Worker, and the layout of the
 * SharedArrayBuffer a blocked host call is answered through:
 * `[state: i32, length: i32, utf8 bytes…]`; length -1 means "no value".
 *
 * @module
 */
import type { HostFunctionName, PluginCall, PluginResult } from "./wasm_host.ts";

/** Bytes before the answer's text. */
export const HOST_REPLY_HEADER = 8;
/** The kernel has not answered yet. */
export const HOST_STATE_PENDING = 0;
/** The answer is the value. */
export const HOST_STATE_DONE = 1;
/** The answer is an error message; the host function throws it. */
export const HOST_STATE_ERROR = 2;

/** Kernel → Worker: run one call. */
export interface WorkerRequest {
  id: number;
  module: WebAssembly.Module;
  /** The kernel's key for `module`: the Worker's instance cache is keyed by it. */
  key: number;
  call: PluginCall;
  /** Largest host answer, in bytes. */
  replyBytes: number;
}

/** Worker → kernel: a host call waiting for its answer, or the call's result. */
export type WorkerReply =
  | {
    type: "host";
    id: number;
    fn: HostFunctionName;
    args: string[];
    reply: SharedArrayBuffer;
  }
  | { type: "result"; id: number; result: PluginResult }
  | { type: "ready" };

/** Writes the answer to a blocked host call and wakes the Worker. */
export function answerHostCall(
  reply: SharedArrayBuffer,
  answer: { value: string | null } | { error: string },
): void {
  const state = new Int32Array(reply, 0, 2);
  const room = reply.byteLength - HOST_REPLY_HEADER;
  let status = HOST_STATE_DONE;
  let text = "value" in answer ? answer.value : answer.error;
  if ("error" in answer) status = HOST_STATE_ERROR;
  let bytes = text === null ? new Uint8Array() : new TextEncoder().encode(text);
  if (bytes.length > room) {
    status = HOST_STATE_ERROR;
    text = `the host answer is ${bytes.length} bytes, above the limit of ${room}`;
    bytes = new TextEncoder().encode(text);
  }
  new Uint8Array(reply, HOST_REPLY_HEADER, bytes.length).set(bytes);
  state[1] = text === null ? -1 : bytes.length;
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}
