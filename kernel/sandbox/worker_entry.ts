/**
 * The sandbox Worker's script: runs plugin calls one at a time with no
 * permissions but two harmless environment reads Extism makes when it
 * loads. A host call posts its request to the kernel and blocks on a
 * SharedArrayBuffer until the kernel writes the answer (Extism host
 * functions are synchronous); the kernel's watchdog terminates this Worker
 * when a call outlives its wall-clock limit.
 *
 * @module
 */
import { type HostFunctionName, type PluginCall, runPluginCall } from "./wasm_host.ts";
import {
  HOST_REPLY_HEADER,
  HOST_STATE_ERROR,
  HOST_STATE_PENDING,
  type WorkerReply,
  type WorkerRequest,
} from "./worker_protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

scope.onmessage = async (event) => {
  const { id, module, key, call, replyBytes } = event.data;
  const reply = new SharedArrayBuffer(HOST_REPLY_HEADER + replyBytes);
  const state = new Int32Array(reply, 0, 2);
  const bridge = (fn: HostFunctionName, args: string[]): string | null => {
    Atomics.store(state, 0, HOST_STATE_PENDING);
    scope.postMessage({ type: "host", id, fn, args, reply });
    Atomics.wait(state, 0, HOST_STATE_PENDING);
    const length = state[1]!;
    const text = new TextDecoder().decode(
      new Uint8Array(reply, HOST_REPLY_HEADER, Math.max(length, 0)).slice(),
    );
    if (Atomics.load(state, 0) === HOST_STATE_ERROR) throw new Error(text);
    return length < 0 ? null : text;
  };
  const result = await runPluginCall(module, call as PluginCall, { bridge, key });
  scope.postMessage({ type: "result", id, result });
};
// Extism loads before the Worker reports ready, so it is loaded when calls come.
await import("@extism/extism");
scope.postMessage({ type: "ready" });
