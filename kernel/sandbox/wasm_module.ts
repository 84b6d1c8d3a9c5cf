/**
 * What the host checks and fixes in a plugin's bytes before it runs: its
 * linear memory gets a maximum of at most the configured page cap (the
 * memory section is rewritten, so `memory.grow` past it fails inside the
 * plugin), and its imports are listed so host functions nobody granted can
 * be refused by name.
 *
 * @module
 */
import { TalonError } from "../errors.ts";

/** One WebAssembly page: 64 KiB. */
export const WASM_PAGE_BYTES = 65_536;

const MEMORY_SECTION = 5;
const IMPORT_SECTION = 2;

/**
 * Returns `wasm` with its memory's maximum set to `maxPages` (or kept when
 * lower). A module that imports its memory, has several memories, is 64-bit
 * or starts above the cap is refused with `invalid_input`.
 */
export function capMemory(wasm: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const sections = readSections(wasm);
  for (const s of sections) {
    if (s.id === IMPORT_SECTION && importsMemory(wasm.subarray(s.start, s.end))) {
      throw new TalonError(
        "invalid_input",
        "the plugin imports its memory; it must define its own",
      );
    }
  }
  const memory = sections.find((s) => s.id === MEMORY_SECTION);
  if (!memory) return new Uint8Array(wasm);
  const reader = new Reader(wasm, memory.start);
  const count = reader.u32();
  if (count !== 1) {
    throw new TalonError("invalid_input", `the plugin defines ${count} memories; one is allowed`);
  }
  const flags = reader.u32();
  if (flags & ~1) {
    throw new TalonError("invalid_input", "shared or 64-bit plugin memory is not supported");
  }
  const initial = reader.u32();
  const max = flags & 1 ? reader.u32() : undefined;
  if (initial > maxPages) {
    throw new TalonError(
      "invalid_input",
      `the plugin needs ${initial} memory pages at start, above the cap of ${maxPages}`,
    );
  }
  const limit = Math.min(max ?? maxPages, maxPages);
  const body = [...leb(1), 1, ...leb(initial), ...leb(limit)];
  const section = [MEMORY_SECTION, ...leb(body.length), ...body];
  const out = new Uint8Array(wasm.length - (memory.end - memory.headerStart) + section.length);
  out.set(wasm.subarray(0, memory.headerStart), 0);
  out.set(section, memory.headerStart);
  out.set(wasm.subarray(memory.end), memory.headerStart + section.length);
  return out;
}

/** The functions a module imports, as `module/name`. */
export function importedFunctions(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => i.kind === "function")
    .map((i) => `${i.module}/${i.name}`);
}

/** The functions a module exports. */
export function exportedFunctions(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module).filter((e) => e.kind === "function").map((e) => e.name);
}

interface Section {
  id: number;
  headerStart: number;
  start: number;
  end: number;
}

function readSections(wasm: Uint8Array): Section[] {
  if (
    wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d
  ) {
    throw new TalonError("invalid_input", "not a WebAssembly module (bad magic number)");
  }
  const sections: Section[] = [];
  const reader = new Reader(wasm, 8);
  while (reader.pos < wasm.length) {
    const headerStart = reader.pos;
    const id = reader.byte();
    const size = reader.u32();
    const start = reader.pos;
    const end = start + size;
    if (end > wasm.length) throw new TalonError("invalid_input", "truncated WebAssembly module");
    sections.push({ id, headerStart, start, end });
    reader.pos = end;
  }
  return sections;
}

function importsMemory(section: Uint8Array): boolean {
  const r = new Reader(section, 0);
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    r.skip(r.u32());
    r.skip(r.u32());
    const kind = r.byte();
    if (kind === 2) return true;
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.byte();
      const flags = r.u32();
      r.u32();
      if (flags & 1) r.u32();
    } else if (kind === 3) {
      r.byte();
      r.byte();
    } else if (kind === 4) {
      r.byte();
      r.u32();
    } else throw new TalonError("invalid_input", `unknown import kind ${kind}`);
  }
  return false;
}

class Reader {
  constructor(readonly bytes: Uint8Array, public pos: number) {}

  byte(): number {
    if (this.pos >= this.bytes.length) {
      throw new TalonError("invalid_input", "truncated WebAssembly module");
    }
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new TalonError("invalid_input", "malformed LEB128 number in WebAssembly module");
  }

  skip(n: number): void {
    this.pos += n;
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
