// `assay usage [--from ISO] [--to ISO] [--submission ID] [--json]`: the
// developer's metered usage per kind in [from, to) (SPEC §9) — model tokens,
// sandbox CPU ms, storage bytes, assembly seats — as decimal strings; with
// --submission, one submission's usage only.
import { DeveloperUsageQuerySchema } from "@assay/protocol";
import { z } from "zod";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { apiContext } from "./api-context";

const UsageInput = z.object({ from: z.string().optional(), to: z.string().optional(), submission: z.string().optional(), json: JsonFlag });

export async function usageCommand(rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const { json, from, to, submission } = parseOptions(UsageInput, rawOptions);
  // The period (and submission id) is checked with the same schema the API applies to the query.
  const range = parseOptions(
    DeveloperUsageQuerySchema,
    { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(submission !== undefined ? { submission } : {}) },
    { from: "--from", to: "--to", submission: "--submission" },
  );
  const { api } = await apiContext(env);
  const totals = await api.usage(range);
  if (json) io.stdout(`${JSON.stringify(totals, null, 2)}\n`);
  else for (const [kind, amount] of Object.entries(totals)) io.stdout(`${kind.padEnd(22)} ${amount}\n`);
  return ExitCode.Ok;
}
