// `assay login`: check the key against the API (GET /v1/developer/me) and only
// then store URL and key in the config file (0600).
import { AssayApi, type Developer } from "../api";
import { configFile, type Env } from "../config/locations";
import { readStoredConfig, resolveSettings, writeStoredConfig, type SettingsFlags } from "../config/settings";
import { UsageError } from "../errors";

export type LoginResult = { apiUrl: string; developer: Developer; configFile: string };

export async function login(flags: SettingsFlags, env: Env): Promise<LoginResult> {
  const path = configFile(env);
  const stored = await readStoredConfig(path);
  const settings = resolveSettings(flags, env, stored, path);
  if (settings.apiKey === undefined) throw new UsageError("no API key to log in with: pass --api-key <key> or set ASSAY_API_KEY");
  const developer = await new AssayApi(settings.apiUrl, settings.apiKey).me();
  await writeStoredConfig(path, { apiUrl: settings.apiUrl, apiKey: settings.apiKey });
  return { apiUrl: settings.apiUrl, developer, configFile: path };
}
