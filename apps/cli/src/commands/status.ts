// `assay status <id> [--watch] [--json]`: `{ id, status, certificateId? }`, now or
// (--watch) once the submission reaches a final state.
import { z } from "zod";
import { parseSubmissionId } from "../certificates/ids";
import type { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { statusResult, watchStateOf } from "../submission/watch-state";
import { describeScenario } from "../render/watch";
import { apiContext } from "./api-context";
import { exitCodeOfStatus, followWithDisplay } from "./follow";

const StatusInput = z.object({ id: z.string().min(1, "a submission id is required"), watch: z.boolean().default(false), json: JsonFlag });

export async function statusCommand(id: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(StatusInput, { id, ...rawOptions }, { id: "<id>" });
  const submissionId = parseSubmissionId(input.id);
  const { api } = await apiContext(env);
  const state = input.watch ? await followWithDisplay(api, submissionId, input.json, io, env) : watchStateOf(await api.submission(submissionId));
  const result = statusResult(state);
  if (input.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const lines = [`${result.id} ${result.status}`];
    if (state.outcome) lines.push(`  outcome      ${state.outcome.code}${state.outcome.message ? `: ${state.outcome.message}` : ""}`);
    if (result.certificateId) lines.push(`  certificate  ${result.certificateId}`);
    const scenario = !input.watch && state.status === "auditing" ? describeScenario(state) : null;
    if (scenario) lines.push(`  progress     ${scenario}`);
    io.stdout(`${lines.join("\n")}\n`);
  }
  return exitCodeOfStatus(state.status);
}
