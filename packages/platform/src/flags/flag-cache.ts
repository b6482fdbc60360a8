// Each process keeps the stored flag overrides in memory, so hot paths (every
// submission's quote, every audit start) do not query flags each time. A change
// made through any process reaches the others in two ways:
//   - fast path: the changing process publishes on a Redis channel shared by every
//     process of the deployment (`<queue prefix>:flags:<database>`); each
//     subscriber drops its cache on the message, and also whenever its
//     subscription (re)connects, since messages sent while it was away are lost;
//   - fallback: a cached copy is never served longer than `ttlMs`, so a process
//     that missed the notice (Redis down, partition) is at most ttlMs stale.
// PostgreSQL stays the only copy of a flag; Redis only carries the notice.
import { Redis } from "ioredis";

export class FlagCache<T> {
  private cached: { value: T; loadedAt: number } | null = null;
  private generation = 0;
  private inflight: { generation: number; promise: Promise<T> } | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.cached && this.now() - this.cached.loadedAt < this.ttlMs) return this.cached.value;
    if (this.inflight && this.inflight.generation === this.generation) return this.inflight.promise;
    const generation = this.generation;
    const startedAt = this.now();
    const promise = this.load().then(
      (value) => {
        // Why the generation check: a load that began before an invalidation may have read the old rows; it must not be cached.
        if (generation === this.generation && this.ttlMs > 0) this.cached = { value, loadedAt: startedAt };
        if (this.inflight?.promise === promise) this.inflight = null;
        return value;
      },
      (error: unknown) => {
        if (this.inflight?.promise === promise) this.inflight = null;
        throw error;
      },
    );
    this.inflight = { generation, promise };
    return promise;
  }

  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.inflight = null;
  }
}

export interface FlagChangeBus {
  /** Tells every process (this one included) that flags changed. Never throws: a lost notice is covered by the TTL. */
  publish(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** A bus that reaches no other process (a single process, or tests of the TTL fallback). */
export const LOCAL_ONLY_BUS: FlagChangeBus = { publish: async () => undefined, close: async () => undefined };

export function flagChannel(queuePrefix: string, database: string): string {
  return `${queuePrefix}:flags:${database}`;
}

/** Redis pub/sub: one subscriber connection and one publishing connection per process. */
export class RedisFlagChangeBus implements FlagChangeBus {
  private readonly subscriber: Redis;
  private readonly publisher: Redis;

  constructor(
    url: string,
    private readonly channel: string,
    onChange: () => void,
    private readonly log: (level: "info" | "warn" | "error", message: string) => void = () => undefined,
  ) {
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 2_000 });
    this.publisher = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: true });
    let warned = false;
    const onError = (error: Error) => {
      if (!warned) log("warn", `flag change notices unavailable (cache TTL applies): ${error.message}`);
      warned = true;
    };
    this.subscriber.on("error", onError);
    this.publisher.on("error", onError);
    this.subscriber.on("message", (channel) => {
      if (channel === this.channel) onChange();
    });
    // (Re)subscribed: notices sent while away are lost, so drop what we have.
    this.subscriber.on("ready", () => {
      warned = false;
      onChange();
    });
    this.subscriber.subscribe(this.channel).catch((error: unknown) => onError(error as Error));
  }

  async publish(keys: readonly string[]): Promise<void> {
    try {
      if (this.publisher.status === "wait") await this.publisher.connect();
      await this.publisher.publish(this.channel, JSON.stringify({ keys }));
    } catch (error) {
      this.log("warn", `flag change notice not sent (other processes follow within the cache TTL): ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
