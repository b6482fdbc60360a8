// What every platform command starts from: settings (flags, environment, config
// file) and the API client built from them.
import { AssayApi } from "../api";
import { cacheDirectory } from "../config/locations";
import { loadSettings } from "../config/settings";

export type ApiContext = { api: AssayApi; cacheDir: string };

export async function apiContext(env: NodeJS.ProcessEnv = process.env): Promise<ApiContext> {
  const settings = await loadSettings({}, env);
  return { api: new AssayApi(settings.apiUrl, settings.apiKey), cacheDir: cacheDirectory(env) };
}
