// `assay verify <file|id> [--artifact dir] [--json]`: `{ valid, checks }` computed
// locally (SPEC §6); exit 0 valid, 1 invalid, 2 unreadable input.
import picocolors from "picocolors";
import { z } from "zod";
import { stateDirectory } from "../certificates/log-state";
import { verifyLocally } from "../certificates/verify-locally";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { DirectoryArgument, JsonFlag, parseOptions } from "../options";
import { renderVerifyResult } from "../render/verify";
import { apiContext } from "./api-context";

const VerifyInput = z.object({
  input: z.string().min(1, "a certificate file or id is required"),
  artifact: DirectoryArgument.optional(),
  statusList: z.string().min(1, "a status-list file is required").optional(),
  json: JsonFlag,
});

export async function verifyCommand(target: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(VerifyInput, { input: target, ...rawOptions }, { input: "<file|id>" });
  const { api, cacheDir } = await apiContext(env);
  const outcome = await verifyLocally(api, {
    input: input.input,
    artifactDir: input.artifact,
    ...(input.statusList !== undefined ? { statusListFile: input.statusList } : {}),
    cacheDir,
    stateDir: stateDirectory(env),
    now: new Date(),
    env,
  });
  if (input.json) io.stdout(`${JSON.stringify({ valid: outcome.valid, checks: outcome.checks }, null, 2)}\n`);
  else io.stdout(renderVerifyResult(outcome, picocolors.createColors(io.stdoutColors)));
  return outcome.valid ? ExitCode.Ok : ExitCode.Negative;
}
