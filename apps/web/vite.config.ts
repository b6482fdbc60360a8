// Vite: React, a dev proxy of the API's paths (same-origin for the app, as in
// production behind server/serve.ts), and a guard that the browser bundle
// never imports Node built-ins (@assay/protocol is browser-safe by design).
// `npm start` serves the production build (server/serve.ts), never this dev
// server; for `npm run dev` the dev server may read only what the app is built
// from (its own directory, @assay/protocol, node_modules), and never an
// install's state (.assay: demo credentials, generated secrets, validator keys),
// which its /@fs/ route would otherwise serve (issue 14 §2).
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { API_PATH_PREFIXES, apiUrlFromEnv, webPortFromEnv } from "./server/api-paths.ts";

function noNodeBuiltins(): Plugin {
  return {
    name: "assay-no-node-builtins",
    enforce: "pre",
    resolveId(source, importer) {
      if (source.startsWith("node:")) {
        throw new Error(`browser bundle must not import ${source} (imported by ${importer ?? "?"})`);
      }
      return null;
    },
  };
}

/**
 * Vendor chunks, so each route downloads only what it uses and a deploy that
 * changes app code leaves the (large, rarely changing) libraries cached:
 * React; zod (every route parses API answers); the crypto the in-browser
 * verification needs (jose: signatures; noble hashes and canonical JSON:
 * digests), in two chunks so a route that hashes but never checks a signature
 * does not download jose. viem stays out of these: the verify page loads it with a dynamic
 * import (its own chunk, decision 0031), so no other route downloads it.
 * Everything else follows the routes' lazy imports (src/App.tsx).
 */
function manualChunks(id: string): string | undefined {
  if (!id.includes("/node_modules/")) return undefined;
  if (/\/node_modules\/(react|react-dom|scheduler)\//.test(id)) return "vendor-react";
  if (/\/node_modules\/zod\//.test(id)) return "vendor-zod";
  if (/\/node_modules\/jose\//.test(id)) return "vendor-jose";
  if (/\/node_modules\/(@noble\/hashes|canonicalize)\//.test(id)) return "vendor-hashes";
  return undefined;
}

export default defineConfig(() => {
  const apiUrl = apiUrlFromEnv(process.env);
  const proxy = Object.fromEntries(API_PATH_PREFIXES.map((prefix) => [prefix, { target: apiUrl, changeOrigin: true }]));
  const listen = { port: webPortFromEnv(process.env), strictPort: true, host: process.env.WEB_HOST ?? "127.0.0.1", proxy };
  const webDir = dirname(fileURLToPath(import.meta.url));
  const repoRoot = join(webDir, "..", "..");
  const fs = {
    strict: true,
    allow: [webDir, join(repoRoot, "packages", "protocol"), join(repoRoot, "node_modules")],
    deny: [".env", ".env.*", "*.{crt,pem,key}", "**/.git/**", "**/.assay/**", "secrets.json", "demo.json", "validators.json"],
  };
  return {
    plugins: [noNodeBuiltins(), react()],
    build: {
      outDir: "dist",
      sourcemap: true,
      target: "es2022",
      rollupOptions: { output: { manualChunks } },
    },
    server: { ...listen, fs },
    preview: listen,
  };
});
