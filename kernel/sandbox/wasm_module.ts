/**
 * What the host checks and fixes in a plugin's bytes before it runs: its
 * linear memory gets a maximum of at most the configured page cap (the
 * memory section is rewritten, so `memory.grow` past it fails inside the
 * plugin), its state is exported so one instance can be reset between calls
 * (`wasm_state.ts`), and its imports are listed so host functions nobody
 * granted can be refused by name.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { leb, Reader, readSections, replaceSection, SECTION } from "./wasm_bytes.ts";
import { exposeState } from "./wasm_state.ts";

/** One WebAssembly page: 64 KiB. */
export const WASM_PAGE_BYTES = 65_536;

/**
 * Returns `wasm` with its memory's maximum set to `maxPages` (or kept when
 * lower), and its state exported for resetting when that is possible (see
 * `exposeState`). A module that imports its memory, has several memories, is
 * 64-bit or starts above the cap is refused with `invalid_input`.
 */
export function capMemory(wasm: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const sections = readSections(wasm);
  for (const s of sections) {
    if (s.id === SECTION.import && importsMemory(wasm.subarray(s.start, s.end))) {
      throw new TalonError(
        "invalid_input",
        "the plugin imports its memory; it must define its own",
      );
    }
  }
  const memory = sections.find((s) => s.id === SECTION.memory);
  if (!memory) return exposeState(wasm);
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
  return exposeState(replaceSection(wasm, memory, { id: SECTION.memory, body }));
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
