// Test support: load an example runtime directory the way the CLI packs it
// (manifest bytes + an esbuild ESM bundle of the entry), without the CLI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { ManifestSchema, subjectDigest, type Digest, type Manifest } from "@assay/protocol";

export const EXAMPLES = join(__dirname, "..", "..", "..", "..", "examples", "runtimes");

export type LoadedExample = { manifest: Manifest; bundleSource: string; subjectDigest: Digest };

export function loadExample(name: string): LoadedExample {
  const dir = join(EXAMPLES, name);
  const manifestText = readFileSync(join(dir, "sigma-runtime.json"), "utf8");
  const manifest = ManifestSchema.parse(JSON.parse(manifestText));
  const out = buildSync({
    entryPoints: [join(dir, manifest.entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const bundleSource = out.outputFiles[0]!.text;
  const digest = subjectDigest([
    { path: "sigma-runtime.json", content: manifestText },
    { path: manifest.entry, content: bundleSource },
  ]);
  return { manifest, bundleSource, subjectDigest: digest };
}
