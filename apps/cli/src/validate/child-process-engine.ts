// The audit engine of `assay validate`: @assay/audit's auditArtifact in a child
// process (the same sandbox, suite and report builder the workers use), so a
// runtime that hangs or crashes the sandbox ends as a finding and never takes
// the CLI down.
import { auditArtifact, suiteIds, type AuditProgressEvent } from "@assay/audit";
import type { AuditReport } from "@assay/protocol";
import { AuditRunError } from "../errors";
import type { ScenarioProgress } from "../render/progress";
import type { AuditEngine, AuditRequest } from "./audit-engine";

export function childProcessAuditEngine(): AuditEngine {
  return { suiteIds, run: runInChildProcess };
}

async function runInChildProcess(request: AuditRequest, onProgress: (progress: ScenarioProgress) => void): Promise<AuditReport> {
  const { runtime } = request;
  try {
    const { report } = await auditArtifact({
      manifest: runtime.manifest,
      bundleSource: runtime.bundle,
      ...(runtime.pythonSources ? { sources: runtime.pythonSources } : {}),
      subjectDigest: runtime.subjectDigest,
      suite: request.suite,
      seed: request.seed,
      ...(request.rollout ? { rollout: request.rollout } : {}),
      ...(request.parallelism !== undefined ? { parallelism: request.parallelism } : {}),
      onProgress: (event) => forwardProgress(event, onProgress),
    });
    return report;
  } catch (error) {
    throw new AuditRunError(`the audit engine failed: ${(error as Error).message}`);
  }
}

function forwardProgress(event: AuditProgressEvent, onProgress: (progress: ScenarioProgress) => void): void {
  if (event.type === "scenario_start") {
    onProgress({ scenario: event.runId, turn: 0, turns: event.turns, di: null });
  } else if (event.type === "turn") {
    onProgress({ scenario: event.runId, turn: event.turn, turns: event.of, di: event.measuredDi });
  }
}
