// A test plugin with one export per way a plugin can misbehave, plus one that behaves.
import { Host, Memory, Var } from "@extism/as-pdk";
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

let calls: i32 = 0;
const scratch = new StaticArray<u8>(16);

/**
 * Reports the traces earlier calls left (a global, a byte of memory, an
 * Extism variable), then leaves its own. It first allocates one host block
 * per input character, so a variable left pointing at an earlier call's
 * block would find one.
 */
export function tally(): i32 {
  const pad = Host.inputString().length;
  for (let i = 0; i < pad; i++) Memory.allocateString("pad");
  const before = calls;
  const mark = scratch[0];
  const seen = Var.getString("seen");
  const trace = seen === null ? "null" : '"' + seen + '"';
  calls++;
  scratch[0] = 42;
  Var.set("seen", Uint8Array.wrap(String.UTF8.encode("yes")));
  Host.outputString(
    '{"global":' + before.toString() + ',"memory":' + mark.toString() + ',"var":' +
      trace + "}",
  );
  return 0;
}

/** Grows the memory by one page and reports the size it had before. */
export function grow(): i32 {
  const pages = memory.grow(1);
  scratch[1] = 7;
  Host.outputString('{"pages":' + pages.toString() + "}");
  return 0;
}
