// An audit child process: receives selections of one audit's plan (a run, or
// the rest of the plan in order), runs them in the sandbox, streams progress and
// every TurnRecord to the parent, and exits when told to (or when the parent
// goes away). Started by auditInChildProcess with a minimal environment (TZ=UTC,
// no secrets), so even a sandbox escape would find nothing worth taking here.
import { runPlannedRuns, type AuditSuite, type TurnDiMeasure } from "../engine/run-suite";
import type { ChildMessage, ParentMessage } from "./messages";
import { resolveMeasure, resolveSuite } from "./resolve";

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let resolved: Promise<{ suite: AuditSuite; measureDi: TurnDiMeasure | undefined }> | null = null;

async function run(message: Extract<ParentMessage, { type: "run" }>): Promise<void> {
  const { input, selection } = message;
  // One audit per child: the suite and the measure are resolved once.
  resolved ??= Promise.all([resolveSuite(input.suite), resolveMeasure(input.measureDi)]).then(([suite, measureDi]) => ({ suite, measureDi }));
  const { suite, measureDi } = await resolved;
  let current = -1;
  await runPlannedRuns({
    suite,
    seed: input.seed,
    manifest: input.manifest,
    bundleSource: input.bundleSource,
    ...(input.sources ? { sources: input.sources } : {}),
    // Only here: hardening changes the process's JS globals (python/harden.ts).
    hardenProcess: true,
    limits: input.limits,
    measureDi,
    yieldEvery: 1,
    selection,
    onProgress: (event) => {
      if (event.type === "scenario_start") current = event.index - 1;
      void send({ type: "event", run: current, event });
    },
    onRecord: (record, _planned, runIndex) => {
      void send({ type: "record", run: runIndex, record });
    },
    onRunEnd: ({ index, meterUnits }) => {
      void send({ type: "run_end", run: index, meterUnits });
    },
  });
  const cpu = process.cpuUsage();
  await send({ type: "done", cpu: { userMicros: cpu.user, systemMicros: cpu.system } });
}

let queue = Promise.resolve();

process.on("message", (message: ParentMessage) => {
  if (!message) return;
  if (message.type === "exit") {
    queue = queue.then(() => {
      process.removeAllListeners("disconnect");
      process.exit(0);
    });
    return;
  }
  if (message.type !== "run") return;
  queue = queue.then(() =>
    run(message).catch(async (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      await send({ type: "error", message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
      process.removeAllListeners("disconnect");
      process.exit(0);
    }),
  );
});

// An orphaned child (the parent died or was killed) must not keep running an audit nobody reads.
process.on("disconnect", () => process.exit(1));

void send({ type: "ready", pid: process.pid });
