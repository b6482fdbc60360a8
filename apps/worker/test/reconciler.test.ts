// The reconciler's decision per job state, with the queue and the platform
// services replaced by recording fakes (the Redis-backed paths are exercised in
// recovery.test.ts).
import type { OutboxService, RecoveryJob, SubmissionRecoveryService } from "@assay/platform";
import { Reconciler } from "../src/runtime/reconciler";

type FakeJob = { state: string; calls: string[]; getState(): Promise<string>; retry(): Promise<void>; remove(): Promise<void> };

function fakeJob(state: string): FakeJob {
  const job: FakeJob = {
    state,
    calls: [],
    getState: async () => job.state,
    retry: async () => void job.calls.push("retry"),
    remove: async () => void job.calls.push("remove"),
  };
  return job;
}

function setup(jobs: Record<string, FakeJob | undefined>, pendingEvents: string[] = [], intervalMs = 1_000) {
  const added: { name: string; payload: unknown; jobId: string }[] = [];
  const dispatched: string[] = [];
  const stuck: RecoveryJob[] = Object.keys(jobs).map((jobId, i) => ({
    submissionId: `s${i}`,
    status: "auditing",
    name: "audit",
    payload: { submissionId: `00000000-0000-4000-8000-00000000000${i}`, auditRunId: `00000000-0000-4000-8000-00000000001${i}`, suite: "core", seed: 1 },
    jobId,
  }));
  const recovery = {
    pendingJobEvents: async () => pendingEvents,
    jobsForQuietSubmissions: async () => stuck,
  } as unknown as SubmissionRecoveryService;
  const outbox = { dispatch: async (id: string) => (dispatched.push(id), { id, dispatched: true }) } as unknown as OutboxService;
  const queue = {
    getJob: async (id: string) => jobs[id],
    add: async (name: string, payload: unknown, options: { jobId: string }) => void added.push({ name, payload, jobId: options.jobId }),
  };
  const reconciler = new Reconciler(recovery, outbox, { queue: () => queue as never }, { quietMs: 1, intervalMs }, () => undefined);
  return { reconciler, added, dispatched };
}

it("leaves live jobs alone and rebuilds lost, failed and finished ones under the same job id", async () => {
  const jobs = {
    waiting: fakeJob("waiting"),
    active: fakeJob("active"),
    delayed: fakeJob("delayed"),
    lost: undefined,
    failed: fakeJob("failed"),
    completed: fakeJob("completed"),
  };
  const { reconciler, added, dispatched } = setup(jobs, ["e1", "e2"]);
  const report = await reconciler.runOnce();
  expect(report).toEqual({ relayed: 2, checked: 6, live: 3, enqueued: 1, retried: 1, replaced: 1, swept: 0 });
  expect(dispatched).toEqual(["e1", "e2"]);
  expect(added.map((a) => a.jobId).sort()).toEqual(["completed", "lost"]);
  expect(added.every((a) => a.name === "audit")).toBe(true);
  expect(jobs.failed.calls).toEqual(["retry"]);
  expect(jobs.completed.calls).toEqual(["remove"]);
  for (const live of [jobs.waiting, jobs.active, jobs.delayed]) expect(live.calls).toEqual([]);
});

it("runs on an interval until stopped, surviving a failing run", async () => {
  const { reconciler } = setup({}, [], 10);
  let runs = 0;
  const spy = jest.spyOn(reconciler, "runOnce").mockImplementation(async () => {
    runs += 1;
    if (runs === 1) throw new Error("database down");
    return { relayed: 0, checked: 0, live: 0, enqueued: 0, retried: 0, replaced: 0, swept: 0 };
  });
  reconciler.start();
  await new Promise((r) => setTimeout(r, 100));
  await reconciler.stop();
  const after = runs;
  expect(after).toBeGreaterThanOrEqual(3);
  await new Promise((r) => setTimeout(r, 50));
  expect(runs).toBe(after);
  spy.mockRestore();
});
