// Seeded pseudo-random numbers for the simulation (sfc32 seeded from SHA-256
// of the seed). Not for the draw — the draw uses the SHA-256 stream in seed.ts —
// only to play the synthetic population reproducibly.
import { createHash } from "node:crypto";

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    const h = createHash("sha256").update(`assay.simulation/${seed}`).digest();
    this.a = h.readUInt32BE(0);
    this.b = h.readUInt32BE(4);
    this.c = h.readUInt32BE(8);
    this.d = h.readUInt32BE(12);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** 0x + 2·bytes hex digits. */
  hex(bytes: number): string {
    let out = "0x";
    for (let i = 0; i < bytes; i += 4) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, 2 + 2 * bytes);
  }
}
