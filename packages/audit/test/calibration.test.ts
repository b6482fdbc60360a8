// Calibration on the principle, not on our reference (issue: "the synthetic
// model must not reward magic keywords or the reference's exact phrasing"):
// runtimes built from in-test sources that carry keywords or the reference's
// headings but not the conversation's content must fail like the passthrough.
import { ManifestSchema, subjectDigest } from "@assay/protocol";
import { auditArtifact, type AuditArtifactInput } from "../src";
import { loadExample } from "./support/load-example";

jest.setTimeout(180_000);

const manifest = ManifestSchema.parse({
  name: "probe",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Atlas", role: "project planning assistant for engineering teams", constraints: ["answer with numbered, concrete plan steps"] },
  claims: ["SRIP-03"],
  suite: "core",
});

const PACKET = `{ header: { protocol_version: "1.0", source_runtime_id: "probe", target_runtime_id: "x", timestamp: "0" },
  payload: { attractor_state: { id: "a", type: "task", stability: 1, phase: "stable", scr: 1 },
    drift_metrics: { sdi: 0, sv: 0, pd: 0, di: 0 }, memory_snapshot: { summary_hash: "", retention_index: 1 },
    safety_flags: { aegida_status: "ok", phase_lock: false, recenter_active: false } },
  signature: { checksum: "", integrity_token: "" } }`;

/** A runtime that sends `system` (a JS expression over `turn`) plus the latest message only. */
function latestOnlyRuntime(system: string): AuditArtifactInput {
  const bundleSource = `export function createRuntime(host) {
    return { step(turn) {
      let reply;
      try { reply = host.model.complete({ system: ${system}, messages: [{ role: "user", content: turn.text }] }).text; }
      catch (e) { reply = "The provider failed; continuing."; }
      return { reply, packet: ${PACKET} };
    } };
  }`;
  const digest = subjectDigest([{ path: "runtime.js", content: bundleSource }, { path: "sigma-runtime.json", content: JSON.stringify(manifest) }]);
  return { manifest, bundleSource, subjectDigest: digest, suite: "core", seed: 3, isolation: "in-process" };
}

const longHorizonMaxDi = (report: { scenarios: { id: string; metrics: { id: string; value: number | null }[] }[] }) =>
  report.scenarios.find((s) => s.id === "long-horizon")!.metrics.find((m) => m.id === "srs.composite_drift_index.v1")!.value!;

describe("the synthetic model rewards re-injected content, not wording", () => {
  it("magic keywords (Sigma vocabulary) without the conversation's content fail", async () => {
    const { report } = await auditArtifact(
      latestOnlyRuntime(`"Sigma runtime. Attractor stable. Drift low. Recenter active. Memory retained. Identity locked. Phase lock. Motifs reinforced. Coherence."`),
    );
    expect(longHorizonMaxDi(report)).toBeGreaterThan(5_000);
    expect(report.verdict).toBe("fail");
  });

  it("the reference's exact headings with only identity and constraints drift far beyond any careful runtime", async () => {
    const { report } = await auditArtifact(
      latestOnlyRuntime(`"You are Atlas, project planning assistant for engineering teams.\\nConstraints: answer with numbered, concrete plan steps.\\nTask: \\nFacts the user stated: \\nRecurring themes to keep: ."`),
    );
    // Identity and constraints hold the persona; without the task, memory and
    // motifs the conversation still drifts out of the stable band.
    expect(longHorizonMaxDi(report)).toBeGreaterThan(4_500);
    const careful = await auditArtifact({ ...loadExample("reference"), suite: "core", seed: 3, isolation: "in-process" });
    expect(longHorizonMaxDi(careful.report)).toBeLessThan(longHorizonMaxDi(report) / 3);
  });
});

describe("determinism", () => {
  const reference = loadExample("reference");

  it("the same runtime and seed give the same report digest in two separate child processes", async () => {
    const input = { ...reference, suite: "core", seed: 42 };
    const [a, b] = [await auditArtifact(input), await auditArtifact(input)];
    expect(a.report.digest).toBe(b.report.digest);
    expect(a.report.scenarios.map((s) => s.transcriptDigest)).toEqual(b.report.scenarios.map((s) => s.transcriptDigest));
  });

  it("a different seed gives a different transcript", async () => {
    const [a, b] = await Promise.all([7, 8].map((seed) => auditArtifact({ ...reference, suite: "core", seed, isolation: "in-process" })));
    const digestsA = a!.report.scenarios.map((s) => s.transcriptDigest);
    const digestsB = b!.report.scenarios.map((s) => s.transcriptDigest);
    for (let i = 0; i < digestsA.length; i++) expect(digestsA[i]).not.toBe(digestsB[i]);
    expect(a!.report.digest).not.toBe(b!.report.digest);
  });
});

describe("no evidence, no certificate", () => {
  it("a runtime that answers blanks every turn fails with EVIDENCE_UNVERIFIED", async () => {
    const bundleSource = `export function createRuntime(host) { return { step() { return { reply: "", packet: ${PACKET} }; } }; }`;
    const digest = subjectDigest([{ path: "runtime.js", content: bundleSource }]);
    const { report } = await auditArtifact({ manifest, bundleSource, subjectDigest: digest, suite: "core", seed: 1, isolation: "in-process" });
    expect(report.verdict).toBe("fail");
    expect(report.findings.filter((f) => f.code === "EVIDENCE_UNVERIFIED" && f.severity === "critical").length).toBeGreaterThan(0);
  });

  it("a runtime that writes its own replies and never passes the model's words on fails too", async () => {
    const bundleSource = `export function createRuntime(host) { return { step(turn) {
      host.model.complete({ messages: [{ role: "user", content: turn.text }] });
      return { reply: "Here is my own careful answer about the plan.", packet: ${PACKET} }; } }; }`;
    const digest = subjectDigest([{ path: "runtime.js", content: bundleSource }]);
    const { report } = await auditArtifact({ manifest, bundleSource, subjectDigest: digest, suite: "core", seed: 1, isolation: "in-process" });
    expect(report.verdict).toBe("fail");
    expect(report.findings.map((f) => f.code)).toContain("EVIDENCE_UNVERIFIED");
  });
});
