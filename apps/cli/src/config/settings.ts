// The API URL and key a command uses: flag, else environment (ASSAY_API_URL,
// ASSAY_API_KEY), else the config file `assay login` wrote, else the default URL
// (SPEC §11). Resolution is a pure function; reading and writing the file are
// separate so `login` can validate before it stores anything.
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { UsageError } from "../errors";
import { configFile, type Env } from "./locations";

export const DEFAULT_API_URL = "http://127.0.0.1:3000";

/** An http(s) URL without a trailing slash, so paths can be appended. */
export const ApiUrlSchema = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:3000" }))
  .transform((u) => u.replace(/\/+$/, ""));

export const ApiKeySchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine((k) => !/\s/.test(k), "must not contain whitespace");

export const StoredConfigSchema = z.object({ apiUrl: ApiUrlSchema.optional(), apiKey: ApiKeySchema.optional() });
export type StoredConfig = z.infer<typeof StoredConfigSchema>;

export type Settings = {
  apiUrl: string;
  apiKey: string | undefined;
  /** Where each value came from, for messages ("ASSAY_API_URL", "--api-url", the config file). */
  sources: { apiUrl: string; apiKey: string | undefined };
};

export type SettingsFlags = { apiUrl?: string; apiKey?: string };

export function resolveSettings(flags: SettingsFlags, env: Env, stored: StoredConfig, storedPath: string): Settings {
  const url = pick([
    [flags.apiUrl, "--api-url"],
    [env.ASSAY_API_URL || undefined, "ASSAY_API_URL"],
    [stored.apiUrl, storedPath],
    [DEFAULT_API_URL, "the default"],
  ])!;
  const key = pick([
    [flags.apiKey, "--api-key"],
    [env.ASSAY_API_KEY || undefined, "ASSAY_API_KEY"],
    [stored.apiKey, storedPath],
  ]);
  return {
    apiUrl: parseSetting(ApiUrlSchema, url.value, url.source),
    apiKey: key ? parseSetting(ApiKeySchema, key.value, key.source) : undefined,
    sources: { apiUrl: url.source, apiKey: key?.source },
  };
}

function pick(candidates: Array<[string | undefined, string]>): { value: string; source: string } | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return { value, source };
  return undefined;
}

function parseSetting<S extends z.ZodType<string, string>>(schema: S, value: string, source: string): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as string;
  throw new UsageError(`invalid ${source}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
}

/** The config file's contents; {} when there is none. An unreadable or invalid file is an error naming it. */
export async function readStoredConfig(path: string): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`the config file ${path} is not valid JSON; fix it or run assay login again`);
  }
  const parsed = StoredConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(
      `the config file ${path} is not valid; fix it or run assay login again`,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return parsed.data;
}

/**
 * Write the config file readable by its owner only (0600; the directory 0700):
 * it holds an API key. Written to a temporary file first and renamed, so a
 * crash never leaves half a file.
 */
export async function writeStoredConfig(path: string, config: StoredConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode argument is masked by the umask and ignored for an existing file.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Settings for a command: flags, environment and the config file. */
export async function loadSettings(flags: SettingsFlags, env: Env = process.env): Promise<Settings> {
  const path = configFile(env);
  return resolveSettings(flags, env, await readStoredConfig(path), path);
}
