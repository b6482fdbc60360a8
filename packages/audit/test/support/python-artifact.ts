// Load a Python example runtime as the audit sees it: the manifest and every
// .py file of the directory (path → source), as `assay validate` packs it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ManifestSchema, type Manifest } from "@assay/protocol";

export const EXAMPLES_DIR = join(__dirname, "..", "..", "..", "..", "examples", "runtimes");

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

export function loadPythonExample(name: string): { manifest: Manifest; sources: Record<string, string>; bundleSource: string } {
  const dir = join(EXAMPLES_DIR, name);
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
  const sources: Record<string, string> = {};
  for (const file of walk(dir)) if (file.endsWith(".py")) sources[relative(dir, file)] = readFileSync(file, "utf8");
  return { manifest, sources, bundleSource: sources[manifest.entry]! };
}

/** Run async jobs with at most `width` at a time (the machine has 2 cores; each audit child loads an interpreter). */
export async function inBatches<T, R>(items: readonly T[], width: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
