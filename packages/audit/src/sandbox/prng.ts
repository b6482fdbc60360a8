// Seeded pseudo-random numbers for host.random() and the isolate's Math.random
// (SPEC §4 determinism). mulberry32: tiny, fast, 32-bit integer arithmetic only,
// so the same seed gives the same stream on every machine. Not cryptographic —
// it only has to be reproducible.

export type Prng = () => number;

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Derive an independent 32-bit seed for a named stream (e.g. "host.random",
 * "Math.random", a scenario id) from the audit seed, so streams never share state.
 */
export function deriveSeed(seed: number, stream: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  hash = Math.imul(hash, 0x01000193) >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  hash = Math.imul(hash ^ hi, 0x01000193) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    hash ^= stream.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32) so nearby seeds give unrelated streams.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}
