// A Python runtime through the whole platform: submitted as its manifest and
// .py files, audited by the worker in the Pyodide sandbox, certified; the
// report and the certificate name the engine, and the worker's report is the
// one the same audit gives outside the platform.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { auditArtifact } from "@assay/audit";
import { AuditReportSchema, MANIFEST_FILE, ManifestSchema, type CertificateDocument } from "@assay/protocol";
import type { Platform } from "@assay/platform";
import { pythonSources } from "../src/audit/sandbox-audit";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { REPO_ROOT, createApiPlatform, createDeveloper, createTestEnv, waitForStatus, type TestEnv } from "./helpers";

// A Python core audit loads an interpreter and runs ~900 turns: minutes on a loaded 2-core machine.
jest.setTimeout(900_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;

beforeAll(async () => {
  // Not a test about money: submissions run unpriced (docs/money.md).
  env = createTestEnv({ ASSAY_BILLING_ENFORCED: "false" });
  api = await createApiPlatform(env.config);
  worker = await startWorkerApp(env.config, { log: () => undefined });
  developerId = await createDeveloper(api);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

function pythonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === "__pycache__" ? [] : pythonFiles(path);
      return name.endsWith(".py") ? [path] : [];
    });
}

it("pythonSources hands the audit a Python artifact's .py files and nothing for JavaScript", () => {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, "examples", "runtimes", "reference-py", MANIFEST_FILE), "utf8")));
  const files = [
    { path: MANIFEST_FILE, content: new TextEncoder().encode("{}") },
    { path: "runtime.py", content: new TextEncoder().encode("x = 1\n") },
  ];
  expect(pythonSources(manifest, files)).toEqual({ "runtime.py": "x = 1\n" });
  expect(pythonSources({ ...manifest, language: undefined, entry: "runtime.js" }, files)).toBeUndefined();
});

it("certifies reference-py; report and certificate name the pyodide engine", async () => {
  const dir = join(REPO_ROOT, "examples", "runtimes", "reference-py");
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const sources = Object.fromEntries(pythonFiles(dir).map((path) => [relative(dir, path), readFileSync(path, "utf8")]));
  const created = await api.submissions.create(developerId, {
    manifest: JSON.parse(manifestText) as unknown,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      ...Object.entries(sources).map(([path, text]) => ({ path, contentBase64: Buffer.from(text).toString("base64") })),
    ],
  } as Parameters<Platform["submissions"]["create"]>[1]);
  const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 840_000);
  expect(done.status).toBe("certified");

  const stored = await api.submissions.reportForDeveloper(developerId, created.id);
  const report = AuditReportSchema.parse(stored.report);
  expect(report.engine.name).toBe("pyodide");
  expect(report.claims.every((c) => c.status === "evidenced")).toBe(true);
  const document: CertificateDocument = (await api.certificates.lookup(done.certificateId!)).document;
  expect((document.payload as { audit: { engine: { name: string } } }).audit.engine.name).toBe("pyodide");

  // The same artifact, suite and seed audited as `assay validate` does gives the same report.
  const local = await auditArtifact({
    manifest: ManifestSchema.parse(JSON.parse(manifestText)),
    bundleSource: sources["runtime.py"]!,
    sources,
    subjectDigest: done.subjectDigest as `0x${string}`,
    suite: done.suite,
    seed: done.seed,
  });
  expect(local.report.digest).toBe(report.digest);
});
