// The start-up check of the handler registry and the pure pieces of the worker
// (progress fold, permanent-error classification, configuration).
import { JOB_NAMES, NotFoundError, UnavailableError, ValidationError, ConfigError } from "@assay/platform";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import { loadWorkerConfig } from "../src/config";
import { diBps, foldProgress, ProgressWriter } from "../src/audit/progress";
import type { AnyJobHandler } from "../src/jobs/handler";
import { checkHandlers, dispatchJob, HandlerRegistryError } from "../src/jobs/handler-registry";
import { isPermanent } from "../src/runtime/job-workers";
import { startWorkerApp } from "../src/worker-app";
import { createTestEnv } from "./helpers";

const ok = (name: string) => ({ name, handle: async () => ({ result: "ok" }) }) as unknown as AnyJobHandler;
const allHandlers = () => Object.fromEntries(JOB_NAMES.map((n) => [n, ok(n)]));

describe("handler registry", () => {
  it("accepts exactly one handler per job of the platform registry", () => {
    expect(Object.keys(checkHandlers(allHandlers())).sort()).toEqual([...JOB_NAMES].sort());
  });

  it("refuses a missing handler, an extra handler and a misnamed handler, naming each", () => {
    const { certificate: _omit, ...missing } = allHandlers();
    expect(() => checkHandlers(missing)).toThrow(/no handler for job\(s\): certificate/);
    expect(() => checkHandlers({ ...allHandlers(), anchr: ok("anchr") })).toThrow(/handler\(s\) for unknown job\(s\): anchr/);
    const error = (() => {
      try {
        checkHandlers({ ...allHandlers(), audit: ok("certificate") });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HandlerRegistryError);
    expect((error as HandlerRegistryError).misnamed).toEqual(["audit"]);
  });

  it("parses payloads with the job's schema before the handler sees them", async () => {
    const seen: unknown[] = [];
    const handlers = checkHandlers({ ...allHandlers(), certificate: { name: "certificate", handle: async (p: unknown) => (seen.push(p), { result: "ok" }) } as AnyJobHandler });
    const context = { jobId: "j", attempt: 1, log: () => undefined };
    await expect(dispatchJob(handlers, "certificate", { submissionId: "not-a-uuid" }, context)).rejects.toBeInstanceOf(z.ZodError);
    await expect(dispatchJob(handlers, "certificate", { submissionId: "7b7c1c56-3f6c-4a58-9a8e-0d1f2a3b4c5d", extra: 1 }, context)).rejects.toBeInstanceOf(z.ZodError);
    expect(seen).toEqual([]);
    await dispatchJob(handlers, "certificate", { submissionId: "7b7c1c56-3f6c-4a58-9a8e-0d1f2a3b4c5d" }, context);
    expect(seen).toEqual([{ submissionId: "7b7c1c56-3f6c-4a58-9a8e-0d1f2a3b4c5d" }]);
  });

  it("stops worker start-up when a job has no handler", async () => {
    const env = createTestEnv();
    try {
      await expect(
        startWorkerApp(env.config, { log: () => undefined, handlers: (s) => ({ audit: ok("audit") }) }),
      ).rejects.toThrow(HandlerRegistryError);
    } finally {
      await env.cleanup();
    }
  });
});

describe("pure pieces", () => {
  it("classifies errors retrying cannot fix as permanent", () => {
    expect(isPermanent(new z.ZodError([]))).toBe(true);
    expect(isPermanent(new NotFoundError("submission_not_found", "x"))).toBe(true);
    expect(isPermanent(new ValidationError("artifact_digest_mismatch", "x"))).toBe(true);
    expect(isPermanent(new UnrecoverableError("x"))).toBe(true);
    expect(isPermanent(new UnavailableError("db_down", "x"))).toBe(false);
    expect(isPermanent(new Error("ECONNRESET"))).toBe(false);
  });

  it("folds audit events into stored progress with DI in basis points", () => {
    let p = foldProgress({}, { type: "audit_start", suite: { id: "core", version: "1" }, seed: 1, runs: 11 });
    p = foldProgress(p, { type: "scenario_start", runId: "long-horizon", scenario: "long-horizon", seed: 1, index: 1, of: 11, turns: 120 });
    p = foldProgress(p, { type: "turn", runId: "long-horizon", scenario: "long-horizon", turn: 1, of: 120, reportedDi: 0.1234, measuredDi: null, budgetUsed: 1 });
    p = foldProgress(p, { type: "turn", runId: "long-horizon", scenario: "long-horizon", turn: 2, of: 120, reportedDi: 0.5, measuredDi: 4567.8, budgetUsed: 1 });
    expect(p).toEqual({ scenariosTotal: 11, scenariosCompleted: 0, currentScenario: "long-horizon", turnsCompleted: 2, currentTurn: 2, currentTurnsTotal: 120, reportedDiBps: 5000, measuredDiBps: 4568 });
    p = foldProgress(p, { type: "scenario_end", runId: "long-horizon", scenario: "long-horizon", completed: true, turns: 120 });
    expect(p.scenariosCompleted).toBe(1);
    expect(diBps(Number.NaN)).toBeNull();
    expect(diBps(-0.1)).toBe(0);
  });

  it("writes progress in order, throttled, and always ends with the latest state", async () => {
    const writes: number[] = [];
    const writer = new ProgressWriter(async (p) => {
      await new Promise((r) => setTimeout(r, 5));
      writes.push(p.turnsCompleted ?? -1);
    }, 10_000);
    writer.onEvent({ type: "audit_start", suite: { id: "core", version: "1" }, seed: 1, runs: 1 });
    for (let turn = 1; turn <= 500; turn++) {
      writer.onEvent({ type: "turn", runId: "r", scenario: "r", turn, of: 500, reportedDi: null, measuredDi: null, budgetUsed: 1 });
    }
    await writer.flush();
    expect(writes.length).toBeLessThan(5);
    expect(writes).toEqual([...writes].sort((a, b) => a - b));
    expect(writes.at(-1)).toBe(500);
  });

  it("validates the worker configuration, naming the bad variable", () => {
    expect(() => loadWorkerConfig({ ASSAY_WORKER_CONCURRENCY: "0" })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ ASSAY_WORKER_CONCURRENCY: "0" })).toThrow(/ASSAY_WORKER_CONCURRENCY/);
    expect(() => loadWorkerConfig({ ASSAY_QUEUE_PREFIX: "a:b" })).toThrow(/ASSAY_QUEUE_PREFIX/);
    const config = loadWorkerConfig({});
    expect(config.worker).toMatchObject({ queuePrefix: "assay", concurrency: 1, lockDurationMs: 30_000, reconcileQuietMs: 60_000 });
    // The status list (decision 0022): every 5 minutes, valid a day, an unchanged list re-signed hourly; a refresh
    // age at or past the validity would let an unchanged list lapse.
    expect(config.worker.statusList).toEqual({ intervalMs: 300_000, validityMs: 86_400_000, refreshMs: 3_600_000 });
    expect(() => loadWorkerConfig({ ASSAY_STATUS_LIST_VALIDITY_MS: "60000", ASSAY_STATUS_LIST_REFRESH_MS: "60000" })).toThrow(/ASSAY_STATUS_LIST_REFRESH_MS/);
  });
});
