// The audit child's fixed costs (docs/decisions/0027-sandbox-speed.md, 2026-12-02): the prebuilt
// child bundle, the metered QuickJS binary cached on disk, and warmed-up spare children must give
// exactly the transcripts and report of the tsx child and of an in-process audit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf } from "@assay/protocol";
import { reportMeta } from "../src/engine";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { auditInChildProcess, auditInProcess, defaultChildPath, prewarmAuditChildren, spareAuditChildren, type IsolatedAuditInput } from "../src/process";
import { prebuiltChild, usesPrebuiltChild } from "../src/process/child-bundle";
import { meteredQuickJsWasm, originalQuickJsWasm } from "../src/sandbox/quickjs";
import { meterWasm } from "../src/sandbox/wasm-meter";
import { loadExample } from "./support/load-example";

jest.setTimeout(300_000);

const probeSuite = { module: join(__dirname, "..", "src", "engine", "probe-suite.ts"), export: "createProbeSuite", options: { turns: 12, runs: 2, faultTurn: 5 } };

afterAll(() => prewarmAuditChildren(0));

it("the cached metered binary is byte-identical to metering afresh", () => {
  const fresh = meterWasm(originalQuickJsWasm()).binary;
  expect(Buffer.from(meteredQuickJsWasm()).equals(Buffer.from(fresh))).toBe(true);
  // The prebuilt child's binary too.
  const child = prebuiltChild();
  expect(child).not.toBeNull();
  const wasm = readFileSync(child!.path.replace(/\.js$/, ".wasm"));
  expect(wasm.equals(Buffer.from(fresh))).toBe(true);
});

it("only engine-owned modules and JavaScript runtimes use the prebuilt child", () => {
  const child = prebuiltChild()!;
  const reference = loadExample("reference");
  const input: IsolatedAuditInput = { suite: probeSuite, seed: 7, manifest: reference.manifest, bundleSource: reference.bundleSource };
  expect(usesPrebuiltChild(input, child)).toBe(true);
  expect(usesPrebuiltChild({ ...input, suite: { module: join(__dirname, "fixtures", "short-core.ts"), export: "shortCoreSuite" } }, child)).toBe(false);
  expect(usesPrebuiltChild({ ...input, manifest: { ...input.manifest, entry: "main.py", language: "python" }, sources: { "main.py": "" } }, child)).toBe(false);
});

it("prebuilt child, tsx child, warmed-up spare and in-process audit give the same transcripts and report", async () => {
  const reference = loadExample("reference");
  const input: IsolatedAuditInput = { suite: probeSuite, seed: 7, manifest: reference.manifest, bundleSource: reference.bundleSource };
  const files = [{ path: reference.manifest.entry, content: reference.bundleSource }];
  const digestOfRun = (run: { runs: { records: unknown[] }[] }) => digestOf(run.runs.map((r) => r.records));

  const local = await auditInProcess(input);
  const tsx = await auditInChildProcess(input, { childPath: defaultChildPath() });
  const prebuilt = await auditInChildProcess(input);

  prewarmAuditChildren(1);
  const deadline = Date.now() + 120_000;
  while (!spareAuditChildren()[0]?.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const spare = spareAuditChildren();
  expect(spare).toHaveLength(1);
  expect(spare[0]!.ready).toBe(true);
  const warm = await auditInChildProcess(input, { parallelism: 2 });
  // The spare served this audit (and only this one): a new spare replaces it.
  expect(spareAuditChildren().map((c) => c.pid)).not.toContain(spare[0]!.pid);
  expect(spareAuditChildren()).toHaveLength(1);

  for (const run of [tsx, prebuilt, warm]) {
    expect(run.outcome).toEqual({ status: "completed" });
    expect(digestOfRun(run)).toBe(digestOfRun(local));
    expect(JSON.stringify(run.runs.map((r) => r.records))).toBe(JSON.stringify(local.runs.map((r) => r.records)));
  }
  const report = (run: typeof tsx) => reportFromSuiteRun(run.runs, reportMeta(run, input.manifest, files)).digest;
  expect(report(prebuilt)).toBe(report(tsx));
  expect(report(warm)).toBe(report(tsx));
});
