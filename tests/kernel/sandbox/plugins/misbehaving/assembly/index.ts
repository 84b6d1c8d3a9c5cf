// A test plugin with one export per way a plugin can misbehave, plus one that behaves.
import { Host, Memory } from "@extism/as-pdk";
import { length } from "@extism/as-pdk/lib/env";

@external("extism:host/user", "kv_get")
declare function kv_get(key: u64): u64;

@external("extism:host/user", "kv_set")
declare function kv_set(key: u64, value: u64): void;

@external("extism:host/user", "net_fetch")
declare function net_fetch(request: u64): u64;

function abortPlugin(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}

/** Counts the letter "a" in its input. */
export function count(): i32 {
  const input = Host.inputString();
  let n = 0;
  for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) == 97) n++;
  Host.outputString('{"a":' + n.toString() + "}");
  return 0;
}

/** Loops forever. */
export function spin(): i32 {
  let x: i32 = 0;
  while (true) {
    x++;
    if (x == -7) break;
  }
  return x;
}

/** Allocates 1 MiB buffers and keeps them, forever. */
export function hog(): i32 {
  const keep = new Array<ArrayBuffer>();
  while (true) keep.push(new ArrayBuffer(1 << 20));
  return 0;
}

/** Traps at once. */
export function crash(): i32 {
  unreachable();
  return 0;
}

/** Stores its input under "last" and returns what was there. */
export function remember(): i32 {
  const key = Memory.allocateString("last");
  const old = kv_get(key.offset);
  const before = old == 0 ? "null" : '"' + new Memory(old, length(old)).toString() + '"';
  kv_set(key.offset, Memory.allocateString(Host.inputString()).offset);
  Host.outputString('{"before":' + before + "}");
  return 0;
}

/** Fetches the URL given as input through the host. */
export function fetch(): i32 {
  const out = net_fetch(Memory.allocateString(Host.inputString()).offset);
  Host.outputString(out == 0 ? "null" : new Memory(out, length(out)).toString());
  return 0;
}
