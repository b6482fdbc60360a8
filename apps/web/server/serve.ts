// `npm run serve`: serves dist/ on WEB_PORT (default 5173; ASSAY_WEB_PORT is the
// launcher's name for it) and forwards /v1, /.well-known and /docs to
// ASSAY_API_URL. Run `npm run build` first. With ASSAY_CHAIN_ENABLED=true, the
// CSP's connect-src also allows ASSAY_CHAIN_RPC_URL's origin (in-browser anchor reads).
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { apiUrlFromEnv, webPortFromEnv } from "./api-paths";
import { apiProxy } from "./api-proxy";
import { createWebServer } from "./web-server";

const port = webPortFromEnv(process.env);
const host = process.env.WEB_HOST ?? "127.0.0.1";
const apiUrl = apiUrlFromEnv(process.env);
const distDir = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
// The verify page reads anchors from the chain's RPC in the browser (docs/decisions/0031): allow it in connect-src.
const chainRpc = process.env.ASSAY_CHAIN_ENABLED === "true" ? process.env.ASSAY_CHAIN_RPC_URL : undefined;
const server = createWebServer({ distDir, api: apiProxy(apiUrl), connectOrigins: chainRpc ? [chainRpc] : [] });

server.on("error", (error) => {
  console.error(`web: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => console.log(`web: serving ${distDir} on http://${host}:${port} (API ${apiUrl})`));

// Why closeAllConnections: open event streams would keep close() waiting forever.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
