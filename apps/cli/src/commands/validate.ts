// `assay validate <dir> [--suite id] [--seed n] [--srip13 off|shadow|enforce] [--parallelism n] [--json]`:
// audit a runtime directory locally and print the report (--json) or a readable
// summary. --srip13 reproduces a platform audit run under that `srip13.mode`
// (default enforce): the mode is recorded in the report and part of its digest.
// --parallelism (default: the cores) only changes how fast: never the report.
// Exit 0 only when the verdict is pass and every claimed SRIP is evidenced.
import picocolors from "picocolors";
import { Srip13Mode } from "@assay/protocol";
import { z } from "zod";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { defaultAuditParallelism } from "../defaults";
import { DirectoryArgument, JsonFlag, ParallelismOption, SeedOption, SuiteOption, parseOptions } from "../options";
import { plainProgress, silentProgress, terminalProgress, type ProgressDisplay } from "../render/progress";
import { renderSummary } from "../render/summary";
import type { AuditEngine } from "../validate/audit-engine";
import { validateRuntime, validationPasses } from "../validate/validate-runtime";

const ValidateInput = z.object({
  dir: DirectoryArgument,
  suite: SuiteOption.optional(),
  seed: SeedOption.optional(),
  srip13: Srip13Mode.optional(),
  parallelism: ParallelismOption.optional(),
  json: JsonFlag,
});

export async function validateCommand(
  dir: string,
  rawOptions: Record<string, unknown>,
  io: CommandIo,
  engine?: AuditEngine,
): Promise<ExitCode> {
  const input = parseOptions(ValidateInput, { dir, ...rawOptions }, { dir: "<dir>" });
  const loadEngine = async () => engine ?? (await import("../validate/child-process-engine")).childProcessAuditEngine();
  const progress = pickProgress(input.json, io);
  const releaseInterrupt = io.onInterrupt(() => progress.stop());
  let result;
  try {
    result = await validateRuntime({ dir: input.dir, suite: input.suite, seed: input.seed, srip13Mode: input.srip13, parallelism: input.parallelism ?? defaultAuditParallelism() }, loadEngine, (p) => progress.update(p));
  } finally {
    releaseInterrupt();
    progress.stop();
  }
  if (input.json) {
    io.stdout(`${JSON.stringify(result.report, null, 2)}\n`);
  } else {
    io.stdout(renderSummary(result.report, picocolors.createColors(io.stdoutColors)));
  }
  return validationPasses(result.report) ? ExitCode.Ok : ExitCode.Negative;
}

function pickProgress(json: boolean, io: CommandIo): ProgressDisplay {
  if (json) return silentProgress;
  if (io.stderrIsTty) return terminalProgress(io.stderrStream);
  return plainProgress((line) => io.stderr(line));
}
