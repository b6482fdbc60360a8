// Dispatches recorded side effects (OutboxEvent) to the job queues. Called right
// after the transaction that recorded them commits, and by a relay loop for
// whatever is still pending (Redis down, process crashed in between).
import { isJobName, parseJobPayload, type JobPublisher, type PublishOptions } from "../jobs";
import type { Store } from "../repositories";

export type DispatchOutcome = { id: string; dispatched: boolean; error?: string };

const MAX_ATTEMPTS = 20;

export class OutboxService {
  constructor(
    private readonly store: Store,
    private readonly publisher: JobPublisher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async dispatch(eventId: string): Promise<DispatchOutcome> {
    const event = await this.store.repos.outbox.findById(eventId);
    if (!event || event.status !== "pending") return { id: eventId, dispatched: event?.status === "dispatched" };
    try {
      if (!isJobName(event.topic)) throw new Error(`unknown job ${event.topic}`);
      const payload = parseJobPayload(event.topic, event.payload);
      await this.publisher.publish(event.topic, payload, await this.optionsFor(event.id, event.topic, payload));
      await this.store.repos.outbox.markDispatched(event.id, this.clock());
      return { id: event.id, dispatched: true };
    } catch (err) {
      const message = (err as Error).message;
      const attempts = event.attempts + 1;
      const retryAt = new Date(this.clock().getTime() + Math.min(60_000, 1_000 * 2 ** Math.min(attempts, 6)));
      await this.store.repos.outbox.markAttemptFailed(event.id, message, retryAt, attempts >= MAX_ATTEMPTS);
      return { id: event.id, dispatched: false, error: message };
    }
  }

  /**
   * Fair share across developers (docs/decisions/0026): an audit job's BullMQ
   * priority is its developer's queue position (1 + that developer's audit runs
   * still queued or running ahead of it), so the k-th waiting audit of every
   * developer goes before anyone's (k+1)-th: one developer's 500 queued
   * submissions do not starve another's one. Other queues stay FIFO.
   */
  private async optionsFor(jobId: string, topic: string, payload: unknown): Promise<PublishOptions> {
    if (topic !== "audit") return { jobId };
    const ahead = await this.store.repos.audits.developerBacklogAhead((payload as { auditRunId: string }).auditRunId);
    return ahead === null ? { jobId } : { jobId, priority: ahead + 1 };
  }

  /** Dispatches up to `limit` due events; returns their outcomes. */
  async dispatchPending(limit = 100): Promise<DispatchOutcome[]> {
    const events = await this.store.repos.outbox.pending(limit, this.clock());
    const outcomes: DispatchOutcome[] = [];
    for (const event of events) outcomes.push(await this.dispatch(event.id));
    return outcomes;
  }
}
