/**
 * Makes a plugin's instance resettable between calls. Everything a call can
 * change in a WebAssembly instance is its memory, its mutable globals, its
 * tables and its passive segments; the host can restore the first three from
 * JavaScript only if they are exported. {@link exposeState} adds those
 * exports (`talon_reset_memory`, `talon_reset_g<index>`,
 * `talon_reset_t<index>`) to a module whose whole state they cover, and to
 * no other: one with passive data or element segments (`data.drop` and
 * `elem.drop` cannot be undone), GC types, reference-typed or v128 mutable
 * globals, imported globals or tables, or non-funcref tables gets none, and
 * the host then runs every call of it on a new instance.
 *
 * Exports with the `talon_reset_` prefix that a module brings itself are
 * removed first, so only this rewrite can mark a module resettable.
 *
 * @module
 */
import { leb, nameBytes, Reader, readSections, replaceSection, SECTION } from "./wasm_bytes.ts";

/** Prefix of the exports this rewrite adds. */
export const RESET_PREFIX = "talon_reset_";
/** The memory's export; its presence marks a module resettable. */
export const RESET_MEMORY = `${RESET_PREFIX}memory`;

const KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;
const NUMERIC = new Set([0x7f, 0x7e, 0x7d, 0x7c]);
const FUNCREF = 0x70;

interface Export {
  name: string;
  kind: number;
  index: number;
}

/**
 * Returns `wasm` with its memory, mutable globals and tables exported under
 * the `talon_reset_` prefix when they are the instance's whole state, and
 * without any such exports otherwise. Expects a module that passed
 * `capMemory`'s checks.
 */
export function exposeState(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = readSections(wasm);
  const exportSection = sections.find((s) => s.id === SECTION.export);
  const kept = exportSection
    ? readExports(wasm, exportSection.start).filter((e) => !e.name.startsWith(RESET_PREFIX))
    : [];
  const added = stateExports(wasm, sections);
  const exports = [...kept, ...added];
  const body = [
    ...leb(exports.length),
    ...exports.flatMap((e) => [...nameBytes(e.name), e.kind, ...leb(e.index)]),
  ];
  if (exportSection) {
    return replaceSection(
      wasm,
      exportSection,
      exports.length ? { id: SECTION.export, body } : null,
    );
  }
  if (exports.length === 0) return new Uint8Array(wasm);
  // No export section yet: it goes before the first section that must follow it.
  const later = new Set<number>([
    SECTION.start,
    SECTION.elem,
    SECTION.dataCount,
    SECTION.code,
    SECTION.data,
  ]);
  const next = sections.find((s) => later.has(s.id));
  const at = next?.headerStart ?? wasm.length;
  return replaceSection(wasm, { headerStart: at, end: at }, { id: SECTION.export, body });
}

/** The exports that expose the whole state, or none when that is not possible. */
function stateExports(wasm: Uint8Array, sections: ReturnType<typeof readSections>): Export[] {
  const body = (id: number) => {
    const s = sections.find((x) => x.id === id);
    return s ? new Reader(wasm.subarray(0, s.end), s.start) : undefined;
  };
  if (!sections.some((s) => s.id === SECTION.memory)) return [];
  const types = body(SECTION.type);
  if (types && !onlyFunctionTypes(types)) return [];
  const imports = body(SECTION.import);
  if (imports && importsState(imports)) return [];
  const elems = body(SECTION.elem);
  if (elems && !onlyActiveFunctionElems(elems)) return [];
  const data = body(SECTION.data);
  if (data && !onlyActiveData(data)) return [];
  const out: Export[] = [{ name: RESET_MEMORY, kind: KIND.memory, index: 0 }];
  const tables = body(SECTION.table);
  if (tables) {
    const count = tables.u32();
    for (let i = 0; i < count; i++) {
      if (tables.byte() !== FUNCREF) return [];
      skipLimits(tables);
      out.push({ name: `${RESET_PREFIX}t${i}`, kind: KIND.table, index: i });
    }
  }
  const globals = body(SECTION.global);
  if (globals) {
    const count = globals.u32();
    for (let i = 0; i < count; i++) {
      const type = globals.byte();
      const mutable = globals.byte() === 1;
      if (!constExpr(globals)) return [];
      if (!mutable) {
        if (!NUMERIC.has(type) && type !== FUNCREF) return [];
        continue;
      }
      if (!NUMERIC.has(type)) return [];
      out.push({ name: `${RESET_PREFIX}g${i}`, kind: KIND.global, index: i });
    }
  }
  return out;
}

function readExports(wasm: Uint8Array, start: number): Export[] {
  const r = new Reader(wasm, start);
  const count = r.u32();
  const out: Export[] = [];
  for (let i = 0; i < count; i++) out.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  return out;
}

/** True when every type is a plain function type (no GC structs, arrays or typed references). */
function onlyFunctionTypes(r: Reader): boolean {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (r.byte() !== 0x60) return false;
    for (let side = 0; side < 2; side++) {
      const n = r.u32();
      for (let j = 0; j < n; j++) {
        const t = r.byte();
        if (!NUMERIC.has(t) && t !== 0x7b && t !== FUNCREF && t !== 0x6f) return false;
      }
    }
  }
  return true;
}

/** True when the module imports a global or a table (state the host cannot reset). */
function importsState(r: Reader): boolean {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    r.skip(r.u32());
    r.skip(r.u32());
    const kind = r.byte();
    if (kind === KIND.table || kind === KIND.global) return true;
    if (kind === KIND.func) r.u32();
    else if (kind === KIND.memory) skipLimits(r);
    else return true;
  }
  return false;
}

/** True when every element segment is active, on table 0, listing function indices. */
function onlyActiveFunctionElems(r: Reader): boolean {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (r.u32() !== 0) return false;
    if (!constExpr(r)) return false;
    const n = r.u32();
    for (let j = 0; j < n; j++) r.u32();
  }
  return true;
}

/** True when every data segment is active (copied into memory, then dropped, at instantiation). */
function onlyActiveData(r: Reader): boolean {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const flags = r.u32();
    if (flags === 2) r.u32();
    else if (flags !== 0) return false;
    if (!constExpr(r)) return false;
    r.skip(r.u32());
  }
  return true;
}

/** Skips a constant expression; false when it holds an instruction not known here. */
function constExpr(r: Reader): boolean {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return true;
    if (op === 0x41 || op === 0x42) r.skipSigned();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23 || op === 0xd2) r.u32();
    else if (op === 0xd0) {
      const heap = r.byte();
      if (heap !== FUNCREF && heap !== 0x6f) return false;
    } else if (op === 0x6a || op === 0x6b || op === 0x6c) continue;
    else if (op === 0x7c || op === 0x7d || op === 0x7e) continue;
    else return false;
  }
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}
