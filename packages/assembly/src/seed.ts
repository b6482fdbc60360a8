// The draw seed and the deterministic stream of uniform draws derived from it.
//
// Seed (SPEC §5: SHA-256(beacon ‖ assembly id ‖ round)), with every variable
// part length-prefixed so no two inputs share an encoding:
//
//   seed = SHA-256( u32be(len B) ‖ B ‖ u32be(len A) ‖ A ‖ u32be(round) )
//
// B = the beacon's bytes (given as 0x-hex, 1–1024 bytes, e.g. a drand round's
// randomness or a block hash), A = the UTF-8 bytes of the assembly id,
// round = the 1-based round number. Written as 0x + 64 hex.
//
// Draw k (k = 0, 1, 2, …) is the 256-bit big-endian integer
// X_k = SHA-256( seed (32 bytes) ‖ u64be(k) ). A uniform integer below a bound
// W uses rejection: X_k is accepted when X_k < 2^256 − (2^256 mod W) and then
// gives X_k mod W; otherwise k moves on. This removes modulo bias exactly.
import { createHash } from "node:crypto";
import { DIGEST_PATTERN, type Digest } from "@assay/protocol";
import { z } from "zod";
import { AssemblyError, parseOrThrow } from "./errors";

export const Beacon = z
  .string()
  .regex(/^0x(?:[0-9a-fA-F]{2}){1,1024}$/, "beacon must be 0x-prefixed hex of 1 to 1024 bytes");
export const AssemblyId = z.string().min(1).max(128);
export const Round = z.number().int().min(1).max(64);

function u32be(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export function drawSeed(beacon: string, assemblyId: string, round: number): Digest {
  const beaconHex = parseOrThrow(Beacon, beacon, "beacon");
  const id = parseOrThrow(AssemblyId, assemblyId, "assemblyId");
  const r = parseOrThrow(Round, round, "round");
  const beaconBytes = Buffer.from(beaconHex.slice(2), "hex");
  const idBytes = Buffer.from(id, "utf8");
  const hash = createHash("sha256")
    .update(u32be(beaconBytes.length))
    .update(beaconBytes)
    .update(u32be(idBytes.length))
    .update(idBytes)
    .update(u32be(r))
    .digest("hex");
  return `0x${hash}`;
}

const TWO_256 = 1n << 256n;

/** Uniform integers from a seed, reproducible by anyone holding the seed. */
export class DrawStream {
  private readonly seedBytes: Buffer;
  private readonly counterBytes = Buffer.alloc(8);
  /** Index of the next 256-bit draw. */
  counter = 0n;

  constructor(seed: Digest) {
    if (!DIGEST_PATTERN.test(seed)) throw new AssemblyError("INVALID_INPUT", "seed must be 0x + 64 lowercase hex");
    this.seedBytes = Buffer.from(seed.slice(2), "hex");
  }

  /** The raw 256-bit draw X_k for the current counter; advances the counter. */
  nextRaw(): bigint {
    this.counterBytes.writeBigUInt64BE(this.counter);
    this.counter += 1n;
    const hex = createHash("sha256").update(this.seedBytes).update(this.counterBytes).digest("hex");
    return BigInt(`0x${hex}`);
  }

  /** Uniform integer in [0, bound), bound ≥ 1. */
  below(bound: bigint): bigint {
    if (bound < 1n) throw new AssemblyError("INVALID_INPUT", "draw bound must be at least 1");
    const limit = TWO_256 - (TWO_256 % bound);
    for (;;) {
      const x = this.nextRaw();
      if (x < limit) return x % bound;
    }
  }
}
