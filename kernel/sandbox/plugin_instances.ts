/**
 * Reusing a plugin's instance without sharing its state. A compiled module
 * is instantiated once; right after instantiation (its start function has
 * run) the host copies the instance's whole state: its memory's bytes, its
 * mutable globals and its tables, which `exposeState` exported. After each
 * call that ended well, the copy is written back, so the next call finds the
 * instance exactly as a fresh one. An instance whose memory or a table grew,
 * or whose call failed in any way, is dropped instead; a module that could
 * not expose its state gets a new instance for every call.
 *
 * Idle instances wait in a bounded cache keyed by the module: at most
 * {@link IDLE_PER_MODULE} per module (more only while calls overlap) for the
 * {@link CACHED_MODULES} modules used last; the others are closed.
 *
 * @module
 */
import { RESET_MEMORY, RESET_PREFIX } from "./wasm_state.ts";

/** Idle instances kept per module. */
export const IDLE_PER_MODULE = 2;
/** Modules whose idle instances are kept. */
export const CACHED_MODULES = 32;

type TableElement = Parameters<WebAssembly.Table["set"]>[1];

/** What an instance's state was right after instantiation. */
export interface StateSnapshot {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
  globals: Array<[WebAssembly.Global, unknown]>;
  tables: Array<[WebAssembly.Table, TableElement[]]>;
}

/** Copies `instance`'s state, or returns null when its module does not expose all of it. */
export function takeSnapshot(instance: WebAssembly.Instance): StateSnapshot | null {
  const memory = instance.exports[RESET_MEMORY];
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const snapshot: StateSnapshot = {
    memory,
    bytes: new Uint8Array(memory.buffer).slice(),
    globals: [],
    tables: [],
  };
  for (const [name, value] of Object.entries(instance.exports)) {
    if (!name.startsWith(RESET_PREFIX)) continue;
    if (value instanceof WebAssembly.Global) snapshot.globals.push([value, value.value]);
    else if (value instanceof WebAssembly.Table) {
      snapshot.tables.push([value, Array.from({ length: value.length }, (_, i) => value.get(i))]);
    }
  }
  return snapshot;
}

/**
 * Writes `snapshot` back into its instance; false (and nothing usable) when
 * the memory or a table grew since, so the instance must be dropped.
 */
export function restoreSnapshot(snapshot: StateSnapshot): boolean {
  const { memory, bytes } = snapshot;
  if (memory.buffer.byteLength !== bytes.byteLength) return false;
  if (snapshot.tables.some(([table, elements]) => table.length !== elements.length)) return false;
  new Uint8Array(memory.buffer).set(bytes);
  for (const [global, value] of snapshot.globals) global.value = value;
  for (const [table, elements] of snapshot.tables) {
    for (let i = 0; i < elements.length; i++) {
      if (table.get(i) !== elements[i]) table.set(i, elements[i]);
    }
  }
  return true;
}

/** How instances were obtained since start (for tests and the bench). */
export interface InstanceCounts {
  /** New instances made. */
  created: number;
  /** Calls served by a reset instance. */
  reused: number;
  /** Idle instances in the cache now. */
  idle: number;
}

/** Idle instances by module key, least recently used module first. */
export class InstanceCache<T> {
  readonly #idle = new Map<number, T[]>();
  readonly #dispose: (value: T) => void;
  created = 0;
  reused = 0;

  constructor(dispose: (value: T) => void) {
    this.#dispose = dispose;
  }

  /** Takes an idle instance of the module `key`, if there is one. */
  take(key: number): T | undefined {
    const list = this.#idle.get(key);
    const value = list?.pop();
    if (value === undefined) return undefined;
    this.#touch(key, list!);
    this.reused++;
    return value;
  }

  /** Puts back an instance that was reset; closes it when the module has enough idle ones. */
  give(key: number, value: T): void {
    const list = this.#idle.get(key) ?? [];
    if (list.length >= IDLE_PER_MODULE) return this.#dispose(value);
    list.push(value);
    this.#touch(key, list);
    for (const [oldest, values] of this.#idle) {
      if (this.#idle.size <= CACHED_MODULES) break;
      this.#idle.delete(oldest);
      values.forEach(this.#dispose);
    }
  }

  /** Closes every idle instance. */
  clear(): void {
    for (const values of this.#idle.values()) values.forEach(this.#dispose);
    this.#idle.clear();
  }

  /** The counts so far. */
  counts(): InstanceCounts {
    let idle = 0;
    for (const values of this.#idle.values()) idle += values.length;
    return { created: this.created, reused: this.reused, idle };
  }

  #touch(key: number, list: T[]): void {
    this.#idle.delete(key);
    this.#idle.set(key, list);
  }
}
