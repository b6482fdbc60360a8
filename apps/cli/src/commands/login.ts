// `assay login [--api-url url] [--api-key key] [--json]`
import { z } from "zod";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { login } from "../login/login";
import { JsonFlag, parseOptions } from "../options";

const LoginInput = z.object({ apiUrl: z.string().optional(), apiKey: z.string().optional(), json: JsonFlag });

export async function loginCommand(rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(LoginInput, rawOptions, { apiUrl: "--api-url", apiKey: "--api-key" });
  const result = await login({ apiUrl: input.apiUrl, apiKey: input.apiKey }, env);
  if (input.json) {
    io.stdout(`${JSON.stringify({ apiUrl: result.apiUrl, developer: result.developer }, null, 2)}\n`);
  } else {
    io.stdout(`Logged in to ${result.apiUrl} as ${result.developer.name} <${result.developer.email}>\nSaved to ${result.configFile}\n`);
  }
  return ExitCode.Ok;
}
