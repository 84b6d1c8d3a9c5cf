/**
 * Sign codes of fact embeddings (`fact_code_blocks`), packed up to
 * {@link CODE_BLOCK_SIZE} facts to a row so that a vector search reads a few
 * hundred rows at 100,000 facts instead of one row per fact. A block belongs
 * to a space (an agent's id for its private facts, {@link SHARED_SPACE} for
 * shared ones) and an embedding model. Ids of forgotten facts stay until
 * their fact is evicted; searches drop them when they fetch the vectors.
 *
 * @module
 */
import { type Database, prepared, transaction } from "./database.ts";

/** Facts per block. */
export const CODE_BLOCK_SIZE = 256;

/** The space of shared facts' codes. */
export const SHARED_SPACE = "*shared";

/** One block as stored: fact ids (float64) and their codes (`words` uint32 each). */
export interface CodeBlock {
  id: number;
  count: number;
  ids: Float64Array;
  codes: Uint32Array;
}

function asF64(bytes: Uint8Array): Float64Array {
  const copy = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  return new Float64Array(copy.buffer, copy.byteOffset, copy.byteLength / 8);
}

function asU32(bytes: Uint8Array): Uint32Array {
  const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

function bytesOf(view: Float64Array | Uint32Array): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Appends the code of fact `factId` to the space's open block (a new block when full). */
export function appendCode(
  db: Database,
  entry: { space: string; model: string; dims: number; factId: number; code: Uint32Array },
): void {
  transaction(db, () => {
    const open = prepared(
      db,
      `SELECT id, count, ids, codes FROM fact_code_blocks
       WHERE space = ? AND model = ? ORDER BY id DESC LIMIT 1`,
    ).get(entry.space, entry.model) as
      | { id: number; count: number; ids: Uint8Array; codes: Uint8Array }
      | undefined;
    if (open && open.count < CODE_BLOCK_SIZE) {
      const ids = new Float64Array(open.count + 1);
      ids.set(asF64(open.ids));
      ids[open.count] = entry.factId;
      const codes = new Uint32Array(open.codes.byteLength / 4 + entry.code.length);
      codes.set(asU32(open.codes));
      codes.set(entry.code, open.codes.byteLength / 4);
      prepared(db, "UPDATE fact_code_blocks SET count = ?, ids = ?, codes = ? WHERE id = ?")
        .run(open.count + 1, bytesOf(ids), bytesOf(codes), open.id);
      return;
    }
    prepared(
      db,
      `INSERT INTO fact_code_blocks (space, model, dims, count, ids, codes)
       VALUES (?, ?, ?, 1, ?, ?)`,
    ).run(
      entry.space,
      entry.model,
      entry.dims,
      bytesOf(new Float64Array([entry.factId])),
      bytesOf(entry.code),
    );
  });
}

/** Calls `visit` with every block of `spaces` for `model`, reading 32 rows at a time. */
export function scanCodeBlocks(
  db: Database,
  options: { spaces: readonly string[]; model: string },
  visit: (block: CodeBlock) => void,
): void {
  let after = 0;
  const statement = prepared(
    db,
    `SELECT id, count, ids, codes FROM fact_code_blocks
     WHERE space IN (SELECT value FROM json_each(?)) AND model = ? AND id > ?
     ORDER BY id LIMIT 32`,
  );
  const spaces = JSON.stringify(options.spaces);
  for (;;) {
    const rows = statement.all(spaces, options.model, after) as {
      id: number;
      count: number;
      ids: Uint8Array;
      codes: Uint8Array;
    }[];
    for (const row of rows) {
      visit({ id: row.id, count: row.count, ids: asF64(row.ids), codes: asU32(row.codes) });
    }
    if (rows.length < 32) return;
    after = rows.at(-1)!.id;
  }
}

/** Removes the codes of `factIds` from the blocks of `space` (after an eviction). */
export function dropCodes(db: Database, space: string, factIds: readonly number[]): void {
  if (factIds.length === 0) return;
  const gone = new Set(factIds);
  transaction(db, () => {
    const rows = prepared(
      db,
      "SELECT id, count, ids, codes FROM fact_code_blocks WHERE space = ?",
    ).all(space) as { id: number; count: number; ids: Uint8Array; codes: Uint8Array }[];
    for (const row of rows) {
      const ids = asF64(row.ids);
      if (!ids.some((id) => gone.has(id))) continue;
      const words = row.codes.byteLength / 4 / row.count;
      const codes = asU32(row.codes);
      const keptIds: number[] = [];
      const keptCodes: number[] = [];
      ids.forEach((id, i) => {
        if (gone.has(id)) return;
        keptIds.push(id);
        for (let w = 0; w < words; w++) keptCodes.push(codes[i * words + w]!);
      });
      if (keptIds.length === 0) {
        prepared(db, "DELETE FROM fact_code_blocks WHERE id = ?").run(row.id);
      } else {
        prepared(db, "UPDATE fact_code_blocks SET count = ?, ids = ?, codes = ? WHERE id = ?").run(
          keptIds.length,
          bytesOf(new Float64Array(keptIds)),
          bytesOf(new Uint32Array(keptCodes)),
          row.id,
        );
      }
    }
  });
}
