// The production web server: the built app plus the API paths forwarded to the
// API, on one origin (so the app's relative fetches and cookies just work).
import { createServer, type Server } from "node:http";
import { isApiPath } from "./api-paths";
import { staticFiles, type RequestHandler } from "./static-files";

export type WebServerOptions = {
  distDir: string;
  /** Handles API paths: a proxy to the real API, or a fake one in tests. */
  api: RequestHandler;
};

export function createWebServer(options: WebServerOptions): Server {
  const files = staticFiles(options.distDir);
  return createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    (isApiPath(pathname) ? options.api : files)(req, res);
  });
}
