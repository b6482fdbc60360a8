// Where the bundle sits inside the artifact. The manifest keeps the author's
// entry (e.g. src/index.ts); the bundle is JavaScript, so a TypeScript entry's
// bundle is stored under the same path with the JavaScript extension.
import { normaliseArtifactPath } from "@assay/protocol";

const TS_TO_JS: ReadonlyArray<[RegExp, string]> = [
  [/\.mts$/, ".mjs"],
  [/\.ts$/, ".js"],
];

export function artifactEntryPath(entry: string): string {
  const normalised = normaliseArtifactPath(entry);
  for (const [pattern, replacement] of TS_TO_JS) {
    if (pattern.test(normalised)) return normalised.replace(pattern, replacement);
  }
  return normalised;
}
