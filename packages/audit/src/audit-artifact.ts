// The one entry point the CLI and the workers use: audit a runtime artifact
// under a named suite and seed, in a child process (default) or in-process,
// and build the report. Everything below it is pure and deterministic.
import type { AuditReport, Digest, Manifest, Rollout, SandboxLimits } from "@assay/protocol";
import { engineIdentity } from "./engine/sandbox-engine";
import type { AuditProgressEvent } from "./engine/events";
import { auditInChildProcess, type IsolatedAuditResult } from "./process/parent";
import { auditInProcess } from "./process/in-process";
import { reportFromSuiteRun } from "./report";
import { PROGRESS_DI_MEASURE, suiteIds, suiteModule } from "./suites/registry";

export class UnknownSuiteError extends Error {
  constructor(readonly suite: string) {
    super(`unknown suite "${suite}" (known: ${suiteIds().join(", ")})`);
  }
}

export type AuditArtifactInput = {
  manifest: Manifest;
  /** The bundled entry (one ES module; for Python, the entry module's source). */
  bundleSource: string;
  /** Python runtimes: every source file of the artifact, path → text (the entry included). */
  sources?: Record<string, string>;
  /** Subject digest of the artifact (manifest + bundle), stated in the report. */
  subjectDigest: Digest;
  suite: string;
  seed: number;
  limits?: Partial<SandboxLimits>;
  /** "child" (default) isolates the sandbox in its own process with a wall-clock kill. */
  isolation?: "child" | "in-process";
  /**
   * Child processes running scenario runs at once (child isolation; default 1).
   * The report is bit-identical whatever the value (docs/decisions/0025-parallel-audits.md);
   * Python runtimes and in-process audits always run one at a time.
   */
  parallelism?: number;
  onProgress?: (event: AuditProgressEvent) => void;
  /** Rollout modes the audit runs under (`srip13.mode`); recorded in the report. Default enforce. */
  rollout?: Rollout;
};

export type AuditArtifactResult = { report: AuditReport; run: IsolatedAuditResult };

export async function auditArtifact(input: AuditArtifactInput): Promise<AuditArtifactResult> {
  const suite = suiteModule(input.suite);
  if (!suite) throw new UnknownSuiteError(input.suite);
  const request = {
    suite,
    seed: input.seed,
    manifest: input.manifest,
    bundleSource: input.bundleSource,
    ...(input.sources ? { sources: input.sources } : {}),
    measureDi: PROGRESS_DI_MEASURE,
    ...(input.limits ? { limits: input.limits } : {}),
  };
  const options = input.onProgress ? { onProgress: input.onProgress } : {};
  const run =
    input.isolation === "in-process"
      ? await auditInProcess(request, options)
      : await auditInChildProcess(request, { ...options, ...(input.parallelism !== undefined ? { parallelism: input.parallelism } : {}) });
  const report = reportFromSuiteRun(run.runs, {
    suite: { id: run.suite.id, version: run.suite.version },
    ...(run.suite.profile ? { profile: run.suite.profile } : {}),
    seed: run.seed,
    engine: engineIdentity(input.manifest),
    limits: run.limits,
    subject: { name: input.manifest.name, version: input.manifest.version, digest: input.subjectDigest },
    claims: input.manifest.claims,
    usage: { modelCalls: run.usage.modelCalls, inputTokens: run.usage.inputTokens, outputTokens: run.usage.outputTokens },
    plan: run.plan,
    ...(input.rollout ? { rollout: input.rollout } : {}),
  });
  return { report, run };
}
