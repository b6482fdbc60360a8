// An audit child process: receives selections of one audit's plan (a run, or
// the rest of the plan in order), runs them in the sandbox, streams progress and
// every TurnRecord to the parent, and exits when told to (or when the parent
// goes away). Started by auditInChildProcess with a minimal environment (TZ=UTC,
// no secrets), so even a sandbox escape would find nothing worth taking here.
import type { Manifest } from "@assay/protocol";
import { useNodeSha256 } from "@assay/protocol/node";
import { runPlannedRuns, type AuditSuite, type TurnDiMeasure } from "../engine/run-suite";
import { coreSuite } from "../suites/core";
import type { ChildMessage, ParentMessage } from "./messages";
import { resolveMeasure, resolveSuite } from "./resolve";

// Transcript and report digests through node:crypto (docs/decisions/0027).
useNodeSha256();

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * A spare child (parent.ts, prewarmAuditChildren) warms up before it is given an audit: the first run
 * of suite core with a small built-in runtime (~0.3 s of CPU), so V8 has compiled the engine's JavaScript and the QuickJS interpreter's
 * hot WebAssembly functions before the first real turn. Nothing of it reaches the real audit: every run
 * has a fresh QuickJS instance and meter, and a process that ran other audits gives the same transcripts
 * (test/hostile-corpus.test.ts, test/warm-child.test.ts).
 */
const WARM_UP_RUNTIME = `export function createRuntime(host) {
  const anchor = host.embed(host.manifest.identity.name + " " + host.manifest.identity.role);
  const memory = [];
  return {
    step(turn) {
      const messages = memory.slice(-4).concat([{ role: "user", content: turn.text }]);
      let text = "";
      try { text = host.model.complete({ system: "You are " + host.manifest.identity.name + ".", messages, maxTokens: 128 }).text; } catch (e) { text = "Sorry."; }
      memory.push({ role: "user", content: turn.text }, { role: "assistant", content: text });
      const v = host.embed(text);
      const di = Math.round(v.reduce((s, x, i) => s + x * anchor[i], 0) * 1000) / 1000;
      const packet = { di, phase: "stable", time: host.clock.now() };
      host.sync.publish(JSON.parse(JSON.stringify(packet)));
      host.log(JSON.stringify({ turn: turn.text.length }));
      return { reply: text, packet };
    },
  };
}`;
const WARM_UP_MANIFEST: Manifest = {
  name: "warm-up",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Warm", role: "engine warm-up", constraints: ["none"] },
  claims: [],
  suite: "core",
} as Manifest;

const warmedUp: Promise<void> = process.argv.includes("--assay-warm-up")
  ? runPlannedRuns({
      suite: coreSuite,
      seed: 1,
      manifest: WARM_UP_MANIFEST,
      bundleSource: WARM_UP_RUNTIME,
      selection: { indices: [0], meter: "per_run" },
    }).then(
      () => undefined,
      () => undefined,
    )
  : Promise.resolve();

let resolved: Promise<{ suite: AuditSuite; measureDi: TurnDiMeasure | undefined }> | null = null;

async function run(message: Extract<ParentMessage, { type: "run" }>): Promise<void> {
  const { input, selection } = message;
  // One audit per child: the suite and the measure are resolved once.
  resolved ??= Promise.all([resolveSuite(input.suite), resolveMeasure(input.measureDi)]).then(([suite, measureDi]) => ({ suite, measureDi }));
  const { suite, measureDi } = await resolved;
  await warmedUp;
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

// A spare says it is ready once warmed up (an audit taking it then waits for nothing).
void warmedUp.then(() => send({ type: "ready", pid: process.pid }));
