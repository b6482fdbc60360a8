// Runs one audit in the sandbox child process (SPEC §4: never in the API, never
// in the worker's own process) through @assay/audit's auditArtifact — the same
// entry point `assay validate` uses, so a worker's report and a developer's
// local report of the same artifact, suite and seed are byte-identical.
import { auditArtifact, prewarmAuditChildren, type AuditProgressEvent, type IsolatedAuditOutcome } from "@assay/audit";
import { manifestLanguage, type AuditReport, type Digest, type Manifest, type Rollout } from "@assay/protocol";

export type SandboxAuditInput = {
  suite: string;
  seed: number;
  manifest: Manifest;
  bundleSource: string;
  subjectDigest: Digest;
  /** Every file of the artifact (a Python runtime is its .py files, not one bundle). */
  files?: readonly { path: string; content: Uint8Array }[];
  /** Rollout modes (flag `srip13.mode`, read at audit start); recorded in the report. Default enforce. */
  rollout?: Rollout;
};

function sourcesOf(input: SandboxAuditInput): { sources?: Record<string, string> } {
  const sources = pythonSources(input.manifest, input.files);
  return sources ? { sources } : {};
}

/** A Python artifact's sources for the audit: its .py files, path → text. Undefined for JavaScript. */
export function pythonSources(manifest: Manifest, files: SandboxAuditInput["files"]): Record<string, string> | undefined {
  if (manifestLanguage(manifest) !== "python" || !files) return undefined;
  const decoder = new TextDecoder("utf-8");
  return Object.fromEntries(files.filter((f) => f.path.endsWith(".py")).map((f) => [f.path, decoder.decode(f.content)]));
}

export type SandboxAuditResult = {
  report: AuditReport;
  usage: { inputTokens: number; outputTokens: number; sandboxMs: number };
  outcome: IsolatedAuditOutcome;
};

export type SandboxAuditOptions = { onProgress?: (event: AuditProgressEvent) => void };

export type SandboxAuditRunner = (input: SandboxAuditInput, options?: SandboxAuditOptions) => Promise<SandboxAuditResult>;

/**
 * Signals that come from outside the sandbox: a shutdown (the launcher or a
 * terminal signals the worker's whole process group, the audit child included),
 * an operator, or the kernel's OOM killer. A runtime inside QuickJS cannot send
 * any of them, so such a death says nothing about the runtime.
 */
const EXTERNAL_SIGNALS = new Set(["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGKILL"]);

/** The audit child was stopped from outside: retry the job, do not report a crash of the runtime. */
export class SandboxInterruptedError extends Error {
  override readonly name = "SandboxInterruptedError";
}

/**
 * The sandbox runner with `parallelism` child processes per audit (config `audit.parallelism`; the report does not depend on it)
 * and `spareChildren` warmed-up audit children kept ready between audits (config `audit.spareChildren`; decision 0027).
 */
export function sandboxAuditRunner(settings: { parallelism: number; spareChildren?: number }): SandboxAuditRunner {
  if (settings.spareChildren) prewarmAuditChildren(settings.spareChildren);
  return (input, options = {}) => runSandboxAuditWith(input, options, settings.parallelism);
}

/** One child process per audit at a time (tests and callers without a configuration). */
export const runSandboxAudit: SandboxAuditRunner = (input, options = {}) => runSandboxAuditWith(input, options, 1);

async function runSandboxAuditWith(input: SandboxAuditInput, options: SandboxAuditOptions, parallelism: number): Promise<SandboxAuditResult> {
  const { report, run } = await auditArtifact({
    manifest: input.manifest,
    bundleSource: input.bundleSource,
    ...sourcesOf(input),
    subjectDigest: input.subjectDigest,
    suite: input.suite,
    seed: input.seed,
    isolation: "child",
    parallelism,
    ...(input.rollout ? { rollout: input.rollout } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (run.outcome.status === "died" && run.outcome.signal && EXTERNAL_SIGNALS.has(run.outcome.signal)) {
    throw new SandboxInterruptedError(`the audit process was stopped by ${run.outcome.signal} from outside the sandbox`);
  }
  return {
    report,
    // Why the child's lifetime: Node does not expose a child's rusage, and the
    // child does nothing but the audit, so its lifetime bounds its CPU time.
    usage: { inputTokens: report.usage.inputTokens, outputTokens: report.usage.outputTokens, sandboxMs: run.durationMs },
    outcome: run.outcome,
  };
}
