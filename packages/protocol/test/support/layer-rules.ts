// The layer rules of docs/architecture.md ("Packages and their rules") as a
// checker over every workspace's source imports. Imports are read with the
// TypeScript compiler's own pre-processor (import, export-from, dynamic
// import, require), so what the checker sees is what the compiler resolves.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export type SourceImports = { file: string; imports: string[] };
export type Violation = { file: string; specifier: string; rule: string };

const FRAMEWORKS = /^(@nestjs\/|bullmq$|ioredis$|@prisma\/|pg$|express$|react$|react-dom)/;
const ASSAY = /^@assay\/([^/]+)(\/.*)?$/;

/** Where Prisma (the generated client, @prisma/*, the db module) may be imported. */
export function prismaAllowed(file: string): boolean {
  return (
    file.startsWith("packages/platform/src/repositories/") ||
    file.startsWith("packages/platform/src/db/") ||
    file.startsWith("packages/platform/src/generated/") ||
    // The composition root builds the client and hands it to the repositories; the test harness creates databases.
    file === "packages/platform/src/platform.ts" ||
    // The package's public face re-exports the database lifecycle by name (no client; its own test checks).
    file === "packages/platform/src/index.ts" ||
    file.startsWith("packages/platform/src/testing/") ||
    /^packages\/platform\/src\/[a-z-]+\/[a-z-]*repositor(y|ies)\.ts$/.test(file)
  );
}

/** Workspace of a repo-relative path: "packages/audit", "apps/web", … */
function workspaceOf(file: string): string | null {
  const m = /^(apps|packages)\/([^/]+)\//.exec(file);
  return m ? `${m[1]}/${m[2]}` : null;
}

/** `@assay/<name>` packages each workspace may import (null: no restriction beyond the general rules). */
const ALLOWED_ASSAY: Record<string, readonly string[] | null> = {
  "packages/protocol": [],
  "packages/audit": ["protocol"],
  "packages/assembly": ["protocol"],
  "packages/chain": ["protocol"],
  "packages/platform": ["protocol", "audit", "assembly", "chain"],
  "apps/web": ["protocol"],
};
const PURE = new Set(["packages/protocol", "packages/audit", "packages/assembly"]);
const APPS = new Set(["api", "worker", "web", "cli", "launcher", "validators", "faults"]);

/**
 * Resolves a relative specifier to a repo-relative path (without extension
 * guessing beyond what is needed to tell which workspace and folder it is in).
 */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  return relative(".", join(dirname(file), specifier)).split(sep).join("/");
}

export function violationsOf(sources: readonly SourceImports[]): Violation[] {
  const out: Violation[] = [];
  for (const { file, imports } of sources) {
    const ws = workspaceOf(file);
    for (const specifier of imports) {
      const add = (rule: string) => out.push({ file, specifier, rule });
      const assay = ASSAY.exec(specifier);
      if (assay?.[2]?.startsWith("/src")) add("no deep imports into another package's src (use its exports)");
      if (assay && ws) {
        const allowed = ALLOWED_ASSAY[ws];
        if (allowed && !allowed.includes(assay[1]!)) add(`${ws} may import only ${allowed.length ? allowed.map((p) => `@assay/${p}`).join(", ") : "nothing of ours"}`);
        if (APPS.has(assay[1]!) && `apps/${assay[1]}` !== ws) add("no workspace imports an app (the API and the workers never import each other)");
      }
      if (ws && PURE.has(ws) && FRAMEWORKS.test(specifier)) add(`${ws} is pure: no framework, queue or database`);
      const to = target(file, specifier);
      if (to && ws && workspaceOf(`${to}/`) !== ws && workspaceOf(to) !== ws) add("no relative import into another workspace");
      const prisma = /^@prisma\//.test(specifier) || (to !== null && /^packages\/platform\/src\/(generated\/prisma|db)(\/|$)/.test(to));
      if (prisma && !prismaAllowed(file)) add("Prisma only inside repositories (and db/)");
    }
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "generated") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
}

/** Every workspace's src/ files with their import specifiers, paths relative to the repo root. */
export function scanRepo(root: string): SourceImports[] {
  const files: string[] = [];
  for (const group of ["apps", "packages"]) {
    for (const ws of readdirSync(join(root, group))) {
      const src = join(root, group, ws, "src");
      if (existsSync(src)) walk(src, files);
    }
  }
  return files.map((path) => {
    const info = ts.preProcessFile(readFileSync(path, "utf8"), true, true);
    return { file: relative(root, path).split(sep).join("/"), imports: info.importedFiles.map((f) => f.fileName) };
  });
}

export const REPO_ROOT = resolve(__dirname, "../../../..");
