// Per-client token buckets in memory: `limit` requests per `windowMs`, refilled
// continuously, O(1) per request. Why not @nestjs/throttler's storage: it keeps
// every hit's timestamp per key and scans them on each request (O(hits in the
// window)), which collapsed verify throughput under load (docs/decisions/0006).
// Per process: with N API instances a client gets up to N× the limit; a shared
// (Redis) limiter is the upgrade when that matters.
export type RateDecision = { allowed: boolean; retryAfterSeconds: number; remaining: number };

type Bucket = { tokens: number; updatedAt: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;
  private lastSweep: number;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = limit / windowMs;
    this.lastSweep = now();
  }

  take(key: string): RateDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit, updatedAt: now };
    bucket.tokens = Math.min(this.limit, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)), remaining: 0 };
  }

  /** Drops buckets that have refilled completely (they equal a fresh bucket). */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.limit) this.buckets.delete(key);
    }
  }
}
