// The `assay validate` service: load the runtime directory, check the suite,
// run the audit on the engine, check the report against the protocol schema.
import { allClaimsEvidenced, AuditReportSchema, type AuditReport, type Srip13Mode } from "@assay/protocol";
import { AuditRunError, UsageError } from "../errors";
import { DEFAULT_AUDIT_SEED } from "../defaults";
import type { ScenarioProgress } from "../render/progress";
import { loadRuntimeDirectory, type LoadedRuntime } from "../runtime-dir/load";
import type { AuditEngine } from "./audit-engine";

export type ValidateRequest = {
  dir: string;
  /** Undefined: the suite named in the manifest. */
  suite: string | undefined;
  /** Undefined: DEFAULT_AUDIT_SEED. */
  seed: number | undefined;
  /** `srip13.mode` the audit runs under (undefined: enforce, the platform's default). */
  srip13Mode?: Srip13Mode | undefined;
  /** Audit child processes at once (undefined: the engine's default, 1). */
  parallelism?: number | undefined;
};

export type ValidateResult = { runtime: LoadedRuntime; report: AuditReport };

export async function validateRuntime(
  request: ValidateRequest,
  loadEngine: () => Promise<AuditEngine>,
  onProgress: (progress: ScenarioProgress) => void,
): Promise<ValidateResult> {
  // The directory is read first: an unreadable one never starts the engine.
  const runtime = await loadRuntimeDirectory(request.dir);
  const engine = await loadEngine();
  const suite = request.suite ?? runtime.manifest.suite;
  const known = engine.suiteIds();
  if (!known.includes(suite)) {
    const source = request.suite === undefined ? `the manifest's "suite"` : "--suite";
    throw new UsageError(`unknown suite "${suite}" (from ${source}); known suites: ${known.join(", ")}`);
  }
  const report = await engine.run({ runtime, suite, seed: request.seed ?? DEFAULT_AUDIT_SEED, ...(request.parallelism !== undefined ? { parallelism: request.parallelism } : {}), ...(request.srip13Mode ? { rollout: { srip13: request.srip13Mode } } : {}) }, onProgress);
  const checked = AuditReportSchema.safeParse(report);
  if (!checked.success) {
    throw new AuditRunError(
      "the audit engine returned a report that does not match the protocol schema",
      checked.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  if (checked.data.subject.digest !== runtime.subjectDigest) {
    throw new AuditRunError(
      `the audit report's subject digest ${checked.data.subject.digest} is not the loaded artifact's ${runtime.subjectDigest}`,
    );
  }
  const claimed = [...runtime.manifest.claims].sort().join(", ");
  const answered = checked.data.claims.map((c) => c.srip).join(", ");
  if (claimed !== answered) {
    throw new AuditRunError(`the audit report answers the claims [${answered}], the manifest claims [${claimed}]`);
  }
  return { runtime, report: checked.data };
}

/**
 * Exit 0 only for a report that would certify every claim: verdict pass (no
 * critical finding) and every claimed SRIP evidenced. A pass verdict with a
 * withheld claim is a negative result (exit 1): the runtime does not do what
 * its manifest says.
 */
export function validationPasses(report: AuditReport): boolean {
  return report.verdict === "pass" && allClaimsEvidenced(report.claims);
}
