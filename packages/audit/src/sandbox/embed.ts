// Deterministic text embedding for host.embed (SPEC §3), also used by the
// synthetic model and the metrics. A hashing-trick bag of lowercase word tokens:
// every token adds ±1 at a bucket chosen by FNV-1a, then the vector is scaled to
// unit length. Pure integer hashing and a fixed summation order make it
// bit-identical on every machine.

export const EMBED_DIMENSION = 64;

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Lowercase word tokens of a text, in order. */
export function embedTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** FNV-1a 32-bit over the UTF-16 code units of a string. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Embed a text as a unit vector of `dimension` numbers. A text without tokens
 * maps to a fixed unit vector (first axis) so the result is always unit length.
 */
export function embed(text: string, dimension: number = EMBED_DIMENSION): number[] {
  if (!Number.isInteger(dimension) || dimension < 2) throw new RangeError("embedding dimension must be an integer >= 2");
  const vector = new Array<number>(dimension).fill(0);
  const tokens = embedTokens(text);
  for (const token of tokens) {
    const hash = fnv1a32(token);
    const bucket = hash % dimension;
    // Why: a second, independent bit for the sign keeps collisions from always adding up.
    vector[bucket]! += (hash >>> 31) === 1 ? -1 : 1;
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm === 0) {
    vector.fill(0);
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  return vector.map((v) => (v === 0 ? 0 : v * scale));
}

/** Cosine similarity of two vectors of the same dimension (unit vectors: their dot product). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError("vectors differ in dimension");
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}
