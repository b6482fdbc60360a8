// The source files of a Python runtime (manifest "language": "python"). There
// is no bundler: the artifact holds the directory's .py files as they are (the
// entry, its package modules and any pure-Python dependencies vendored in the
// directory), each at its canonical relative path. Other files are not part of
// the artifact; a .py file that resolves outside the directory is refused.
import { lstat, readdir, readFile, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { artifactPathProblem } from "@assay/protocol";
import { RuntimeDirectoryError } from "../errors";

/** Directories never packed: tool caches and virtual environments are not runtime sources. */
const SKIPPED_DIRECTORIES = new Set(["__pycache__", "node_modules", "venv", ".venv", "site-packages"]);

export type PythonSources = {
  /** Path inside the artifact → source text. */
  sources: Record<string, string>;
  /** The same paths, sorted. */
  inputs: string[];
};

export async function collectPythonSources(dir: string, entry: string, maxBytes: number): Promise<PythonSources> {
  const paths = (await walk(dir, dir)).sort();
  const sources: Record<string, string> = {};
  let total = 0;
  for (const path of paths) {
    const problem = artifactPathProblem(path);
    if (problem) throw new RuntimeDirectoryError("ARTIFACT_PATH_INVALID", `${path} cannot be an artifact path: ${problem}`);
    const bytes = await readFile(join(dir, path));
    total += bytes.length;
    if (total > maxBytes) {
      throw new RuntimeDirectoryError("BUNDLE_TOO_LARGE", `the runtime's .py files exceed ${maxBytes} bytes (at ${path})`);
    }
    try {
      sources[path] = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new RuntimeDirectoryError("ENTRY_BUNDLE_FAILED", `${path} is not UTF-8 text`);
    }
  }
  const entrySource = sources[entry];
  if (entrySource === undefined) throw new RuntimeDirectoryError("ENTRY_MISSING", `entry ${entry} is not among the runtime's .py files`);
  if (!/^(?:async\s+)?def\s+create_runtime\s*\(|^create_runtime\s*=/m.test(entrySource)) {
    throw new RuntimeDirectoryError(
      "ENTRY_NO_CREATE_RUNTIME",
      `${entry} does not define create_runtime at module level; the entry must define create_runtime(host) returning an object with step(turn)`,
    );
  }
  return { sources, inputs: paths };
}

async function walk(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await walk(root, full)));
      continue;
    }
    if (!entry.name.endsWith(".py")) continue;
    if ((await lstat(full)).isSymbolicLink()) {
      const real = await realpath(full).catch(() => full);
      if (real !== root && !real.startsWith(root + sep)) {
        throw new RuntimeDirectoryError("IMPORT_OUTSIDE_DIRECTORY", `${full} (a symlink to ${real}) is outside the runtime directory ${root}`);
      }
    }
    found.push(relative(root, full).split(sep).join("/"));
  }
  return found;
}
