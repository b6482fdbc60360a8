// Serves the built app (dist/) with node:http only: exact files with their
// content type, and index.html for every other GET so client-side routes
// (/verify/0x…, /developer/…) load the app. Hashed assets are cached for good.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function staticFiles(distDir: string): RequestHandler {
  const root = resolve(distDir);
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed");
      return;
    }
    void serve(root, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`cannot serve ${req.url}: ${(error as Error).message}`);
    });
  };
}

async function serve(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  const candidate = normalize(join(root, pathname));
  // Why the prefix test: a path with .. must never leave dist/.
  const inside = candidate === root || candidate.startsWith(root + sep);
  const file = inside && (await isFile(candidate)) ? candidate : join(root, "index.html");
  const isIndex = file === join(root, "index.html");
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    "cache-control": isIndex ? "no-cache" : file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (isIndex && !(await isFile(file))) {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("the web app is not built: run `npm run build -w @assay/web`");
    return;
  }
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
