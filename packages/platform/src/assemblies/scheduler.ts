// Phase deadlines as BullMQ delayed jobs on the `assembly` queue, each with a
// deterministic job id (one per assembly, round, phase and kind), so scheduling
// twice schedules once and a duplicate delivery is a no-op in the service
// (phase moves are compare-and-set). A lost Redis is covered by the sweep
// (AssemblyService.sweep): the phase deadline is also a column.
import { BullJobPublisher, parseJobPayload, type JobPayload, type JobPublisher } from "../jobs";

export type AssemblyJob = JobPayload<"assembly">;

export interface AssemblyScheduler {
  schedule(payload: AssemblyJob, options: { jobId: string; delayMs: number }): Promise<void>;
}

export class QueueAssemblyScheduler implements AssemblyScheduler {
  constructor(private readonly publisher: JobPublisher) {}

  async schedule(payload: AssemblyJob, options: { jobId: string; delayMs: number }): Promise<void> {
    const data = parseJobPayload("assembly", payload);
    if (this.publisher instanceof BullJobPublisher) {
      await this.publisher.ping(); // connects a lazy producer connection first
      await this.publisher.queue("assembly").add("assembly", data, { jobId: options.jobId, delay: Math.max(0, Math.ceil(options.delayMs)) });
      return;
    }
    await this.publisher.publish("assembly", data, { jobId: options.jobId });
  }
}

/** BullMQ job ids may not contain ':'; these are stable across processes. */
export const assemblyJobIds = {
  deadline: (assemblyId: string, round: number, phase: string) => `asm-${assemblyId}-r${round}-${phase}-deadline`,
  early: (assemblyId: string, round: number, phase: string) => `asm-${assemblyId}-r${round}-${phase}-early`,
  afterVoid: (assemblyId: string, round: number, phase: string, validatorId: string) => `asm-${assemblyId}-r${round}-${phase}-void-${validatorId}`,
  finish: (assemblyId: string) => `asm-${assemblyId}-finish`,
  openRetry: (submissionId: string, attempt: number) => `asm-open-${submissionId}-${attempt}`,
};

export function assemblyOpenDedupeKey(submissionId: string): string {
  return `assembly-open:${submissionId}`;
}
