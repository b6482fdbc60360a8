// Fixtures: a valid packed runtime and an unsigned certificate payload.
import { CERTIFICATE_FORMAT, MANIFEST_FILE, type Manifest } from "@assay/protocol";
import type { SubmitRuntimeBody } from "../services/submission-input";
import type { UnsignedCertificate } from "../services/certificate-service";

export function sampleManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    name: "sample-runtime",
    version: "1.0.0",
    protocol: "sigma-runtime/1",
    entry: "dist/runtime.js",
    identity: { name: "Sample", role: "migration planner", constraints: ["stay on the migration plan"] },
    claims: ["SRIP-03", "SRIP-05"],
    suite: "core",
    ...overrides,
  };
}

export function samplePackedRuntime(options: { manifest?: Manifest; entrySource?: string; manifestText?: string } = {}): SubmitRuntimeBody {
  const manifest = options.manifest ?? sampleManifest();
  const manifestText = options.manifestText ?? JSON.stringify(manifest, null, 2);
  const entry = options.entrySource ?? "export function createRuntime(host) { return { step(turn) { return { reply: turn.text, packet: {} }; } }; }\n";
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: Buffer.from(entry).toString("base64") },
    ],
  };
}

export function sampleUnsignedCertificate(subject: { name: string; version: string; digest: string }): UnsignedCertificate {
  return {
    format: CERTIFICATE_FORMAT,
    subject: { ...subject, digest: subject.digest as `0x${string}` },
    claims: ["SRIP-03", "SRIP-05"],
    claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK"] }],
    audit: {
      suite: { id: "core", version: "1.0.0" },
      seed: 7,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: [{ id: "srs.composite_drift_index.v1", value: 3100, unit: "bps", validity: "valid" }],
      findingsDigest: `0x${"1".repeat(64)}`,
      reportDigest: `0x${"2".repeat(64)}`,
      criticalFindings: 0,
    },
    assembly: {
      recordDigest: `0x${"3".repeat(64)}`,
      rounds: 1,
      seats: 3,
      tally: { verdict: "certify", certifyWeightBps: 10_000, participationBps: 10_000, stabilityScoreBps: 8_000 },
    },
    verdict: "certified",
    level: "assembly",
    supersedes: null,
  } as UnsignedCertificate;
}
