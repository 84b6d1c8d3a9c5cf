/**
 * Reading a WebAssembly binary's sections and numbers, for the few rewrites
 * the host makes to a plugin's bytes before compiling it.
 *
 * @module
 */
import { TalonError } from "../errors.ts";

/** Section ids the rewrites look at. */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  elem: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

/** One section: its id, where its header starts, and its body's bounds. */
export interface Section {
  id: number;
  headerStart: number;
  start: number;
  end: number;
}

/** The sections of `wasm`; `invalid_input` for a bad magic number or truncation. */
export function readSections(wasm: Uint8Array): Section[] {
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

/** Returns `wasm` with `section` replaced by a section of `id` holding `body` (removed when null). */
export function replaceSection(
  wasm: Uint8Array,
  section: Pick<Section, "headerStart" | "end">,
  replacement: { id: number; body: number[] } | null,
): Uint8Array<ArrayBuffer> {
  const bytes = replacement
    ? [replacement.id, ...leb(replacement.body.length), ...replacement.body]
    : [];
  const out = new Uint8Array(wasm.length - (section.end - section.headerStart) + bytes.length);
  out.set(wasm.subarray(0, section.headerStart), 0);
  out.set(bytes, section.headerStart);
  out.set(wasm.subarray(section.end), section.headerStart + bytes.length);
  return out;
}

/** A cursor over a module's bytes. */
export class Reader {
  constructor(readonly bytes: Uint8Array, public pos: number) {}

  /** One byte. */
  byte(): number {
    if (this.pos >= this.bytes.length) {
      throw new TalonError("invalid_input", "truncated WebAssembly module");
    }
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 number of at most 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new TalonError("invalid_input", "malformed LEB128 number in WebAssembly module");
  }

  /** Skips a signed LEB128 number of at most 64 bits. */
  skipSigned(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new TalonError("invalid_input", "malformed LEB128 number in WebAssembly module");
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new TalonError("invalid_input", "truncated WebAssembly module");
    }
    this.pos += n;
  }
}

/** `n` as unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** `text` as a length-prefixed UTF-8 name. */
export function nameBytes(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...leb(bytes.length), ...bytes];
}
