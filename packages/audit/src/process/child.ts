// The audit child process: receives one IsolatedAuditInput, runs the suite in
// the QuickJS sandbox, streams progress and every TurnRecord to the parent, then
// exits. Started by auditInChildProcess with a minimal environment (TZ=UTC, no
// secrets), so even a sandbox escape would find nothing worth taking here.
import { runSuite } from "../engine/run-suite";
import type { ChildMessage, ParentMessage } from "./messages";
import { resolveMeasure, resolveSuite } from "./resolve";

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function run(message: ParentMessage): Promise<void> {
  const { input } = message;
  const suite = await resolveSuite(input.suite);
  const measureDi = await resolveMeasure(input.measureDi);
  const result = await runSuite({
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
    onProgress: (event) => {
      void send({ type: "event", event });
    },
    onRecord: (record, _planned, runIndex) => {
      void send({ type: "record", run: runIndex, record });
    },
  });
  const cpu = process.cpuUsage();
  await send({ type: "done", usage: result.usage, plan: result.plan, limits: result.limits, cpu: { userMicros: cpu.user, systemMicros: cpu.system } });
}

process.on("message", (message: ParentMessage) => {
  if (!message || message.type !== "run") return;
  run(message)
    .catch(async (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      await send({ type: "error", message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    })
    .finally(() => {
      process.removeAllListeners("disconnect");
      process.exit(0);
    });
});

// An orphaned child (the parent died or was killed) must not keep running an audit nobody reads.
process.on("disconnect", () => process.exit(1));

void send({ type: "ready", pid: process.pid });
