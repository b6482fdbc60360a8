// Putting jobs on BullMQ queues. Only the outbox dispatcher calls this: a job is
// always first recorded in the database (OutboxEvent), so Redis is never the only
// copy of a fact; the outbox event id is the BullMQ job id, so dispatching twice
// enqueues once.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { JOBS, parseJobPayload, type JobName, type JobPayload } from "./registry";

export interface JobPublisher {
  publish<N extends JobName>(name: N, payload: JobPayload<N>, options: PublishOptions): Promise<void>;
  /** True when the queue backend answers (health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * jobId: the outbox event id (dispatching twice enqueues once). priority: BullMQ's
 * (1 = first; a job without one goes before every prioritised job); the audit
 * job's is the developer's queue position (fair share, docs/decisions/0026).
 */
export type PublishOptions = { jobId: string; priority?: number };

/** BullMQ's largest priority (2^21). */
export const MAX_JOB_PRIORITY = 2_097_152;

export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 5_000 },
} as const;

export function createRedisConnection(url: string, options: { forWorker?: boolean } = {}): Redis {
  return new Redis(url, {
    // Workers block on Redis and must retry forever; producers fail fast so the
    // outbox keeps the event pending instead of hanging a request.
    maxRetriesPerRequest: options.forWorker ? null : 1,
    enableOfflineQueue: options.forWorker ?? false,
    connectTimeout: 2_000,
    lazyConnect: !options.forWorker,
  });
}

export class BullJobPublisher implements JobPublisher {
  private readonly queues = new Map<JobName, Queue>();
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix = "assay",
    /** A request must not hang on Redis: after this the event stays in the outbox for the relay. */
    private readonly publishTimeoutMs = 2_000,
  ) {
    this.connection = createRedisConnection(redisUrl);
    this.connection.on("error", () => undefined); // surfaced by publish(), not as an unhandled event
  }

  queue(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(JOBS[name].queue, { connection: this.connection, prefix: this.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on("error", () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async publish<N extends JobName>(name: N, payload: JobPayload<N>, options: PublishOptions): Promise<void> {
    const data = parseJobPayload(name, payload);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not accept the job within ${this.publishTimeoutMs} ms`)), this.publishTimeoutMs);
    });
    try {
      await Promise.race([this.enqueue(name, data, options), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async enqueue(name: JobName, data: unknown, options: PublishOptions): Promise<void> {
    if (this.connection.status === "wait" || this.connection.status === "end") await this.connection.connect().catch(() => undefined);
    await this.queue(name).add(name, data, { jobId: options.jobId, ...(options.priority ? { priority: Math.min(MAX_JOB_PRIORITY, Math.max(1, Math.floor(options.priority))) } : {}) });
  }

  async ping(): Promise<boolean> {
    try {
      if (this.connection.status === "wait" || this.connection.status === "end") await this.connection.connect().catch(() => undefined);
      const answer = await Promise.race([this.connection.ping(), new Promise<null>((resolve) => setTimeout(resolve, 1_000, null).unref())]);
      return answer === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.connection.disconnect();
  }
}
