/**
 * Vector arithmetic for recall: float32 blobs, cosine similarity, and the
 * 256-bit random-hyperplane sign codes (SimHash) that pick the candidates a
 * search re-ranks by exact cosine. Two vectors' codes differ in a fraction
 * of bits close to their angle / π, so the nearest codes by Hamming distance
 * hold the nearest vectors with high probability.
 *
 * @module
 */

/** Bits of a sign code. */
export const CODE_BITS = 256;
/** 32-bit words of a sign code. */
export const CODE_WORDS = CODE_BITS / 32;

/** A vector as the float32 bytes stored in SQLite. */
export function vectorBlob(vector: readonly number[] | Float32Array): Uint8Array {
  const f = Float32Array.from(vector);
  return new Uint8Array(f.buffer);
}

/** The float32 vector of a stored blob. */
export function blobVector(blob: Uint8Array): Float32Array {
  const bytes = blob.byteOffset % 4 === 0 ? blob : blob.slice();
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Cosine similarity of two vectors of equal length; 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const planes = new Map<number, Float32Array>();

/** The fixed hyperplanes for `dims` dimensions (same on every run: a seeded generator). */
function hyperplanes(dims: number): Float32Array {
  let p = planes.get(dims);
  if (p) return p;
  p = new Float32Array(CODE_BITS * dims);
  let seed = (0x9e3779b9 ^ dims) >>> 0;
  const next = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < p.length; i++) {
    // Box-Muller: Gaussian directions make the hyperplanes uniformly oriented.
    p[i] = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  }
  if (planes.size >= 8) planes.delete(planes.keys().next().value!);
  planes.set(dims, p);
  return p;
}

/** The sign code of `vector`: bit i is set when it lies on the positive side of plane i. */
export function signCode(vector: Float32Array): Uint32Array {
  const dims = vector.length;
  const p = hyperplanes(dims);
  const code = new Uint32Array(CODE_WORDS);
  for (let bit = 0; bit < CODE_BITS; bit++) {
    let s = 0;
    const off = bit * dims;
    for (let i = 0; i < dims; i++) s += p[off + i]! * vector[i]!;
    if (s > 0) code[bit >>> 5]! |= 1 << (bit & 31);
  }
  return code;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance between `code` and the code at word offset `at` of `codes`. */
export function hamming(code: Uint32Array, codes: Uint32Array, at: number): number {
  let d = 0;
  for (let w = 0; w < CODE_WORDS; w++) d += popcount(code[w]! ^ codes[at + w]!);
  return d;
}

/**
 * Keeps the `size` smallest-keyed ids seen (a bounded max-heap by key), for
 * candidate selection without sorting every fact.
 */
export class SmallestK {
  readonly #size: number;
  readonly #keys: number[] = [];
  readonly #ids: number[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** The largest key kept once full (Infinity before). */
  get bound(): number {
    return this.#keys.length < this.#size ? Infinity : this.#keys[0]!;
  }

  /** Offers one id with its key. */
  offer(id: number, key: number): void {
    const keys = this.#keys, ids = this.#ids;
    if (keys.length < this.#size) {
      keys.push(key);
      ids.push(id);
      let i = keys.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (keys[parent]! >= keys[i]!) break;
        [keys[parent], keys[i]] = [keys[i]!, keys[parent]!];
        [ids[parent], ids[i]] = [ids[i]!, ids[parent]!];
        i = parent;
      }
      return;
    }
    if (key >= keys[0]!) return;
    keys[0] = key;
    ids[0] = id;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < keys.length && keys[l]! > keys[m]!) m = l;
      if (r < keys.length && keys[r]! > keys[m]!) m = r;
      if (m === i) break;
      [keys[m], keys[i]] = [keys[i]!, keys[m]!];
      [ids[m], ids[i]] = [ids[i]!, ids[m]!];
      i = m;
    }
  }

  /** The kept ids (any order). */
  ids(): number[] {
    return [...this.#ids];
  }
}
