// Which paths belong to the API (proxied by the dev server and by serve.ts) and
// where the API is. Everything else is the single-page app.
// /badge: the registry's SVG badges (docs/decisions/0017), served by the API outside /v1.
export const API_PATH_PREFIXES = ["/v1", "/.well-known", "/docs", "/badge"] as const;

export const DEFAULT_API_URL = "http://127.0.0.1:3000";

export function isApiPath(pathname: string): boolean {
  return API_PATH_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`) || pathname.startsWith(`${prefix}-`));
}

/** ASSAY_API_URL (the launcher's and the CLI's variable), else the default. */
export function apiUrlFromEnv(env: NodeJS.ProcessEnv): string {
  const raw = env.ASSAY_API_URL ?? DEFAULT_API_URL;
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`ASSAY_API_URL must be http(s): ${raw}`);
  return raw.replace(/\/+$/, "");
}

/** WEB_PORT, else ASSAY_WEB_PORT (the launcher's name), else 5173. */
export function webPortFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.WEB_PORT ?? env.ASSAY_WEB_PORT ?? "5173";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`WEB_PORT must be a port number (1-65535), got ${raw}`);
  return port;
}
