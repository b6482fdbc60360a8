// The subject digest of a local artifact, computed in the browser: the manifest
// (sigma-runtime.json, exact bytes) and the bundled entry, stored in the
// artifact at the manifest's entry path with a JavaScript extension (the CLI's
// artifact layout, SPEC §3). Same function as the server: protocol's subjectDigest.
import { MANIFEST_FILE, subjectDigest, type Digest } from "@assay/protocol";

export type LocalFile = { name: string; bytes: Uint8Array };
export type LocalArtifact = { digest: Digest; files: { path: string; from: string; bytes: number }[] };

export class ArtifactInputError extends Error {}

/** Where the bundle of a manifest entry sits in the artifact: src/index.ts → src/index.js. */
export function bundlePathOf(entry: string): string {
  return entry.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\.mts$/, ".mjs").replace(/\.ts$/, ".js");
}

export function localArtifactDigest(files: LocalFile[]): LocalArtifact {
  const manifests = files.filter((f) => baseName(f.name) === MANIFEST_FILE);
  if (manifests.length !== 1) {
    throw new ArtifactInputError(`choose exactly one ${MANIFEST_FILE} and the bundled entry file (got ${manifests.length} manifests)`);
  }
  const manifestFile = manifests[0]!;
  const others = files.filter((f) => f !== manifestFile);
  if (others.length !== 1) {
    throw new ArtifactInputError(`choose the bundled entry file next to ${MANIFEST_FILE} (got ${others.length} other files; the artifact holds exactly two)`);
  }
  const bundleFile = others[0]!;
  let entry: unknown;
  try {
    entry = (JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(manifestFile.bytes)) as { entry?: unknown }).entry;
  } catch (error) {
    throw new ArtifactInputError(`${MANIFEST_FILE} is not readable JSON: ${(error as Error).message}`);
  }
  if (typeof entry !== "string" || entry === "") throw new ArtifactInputError(`${MANIFEST_FILE} has no "entry"`);
  const bundlePath = bundlePathOf(entry);
  try {
    const digest = subjectDigest([
      { path: MANIFEST_FILE, content: manifestFile.bytes },
      { path: bundlePath, content: bundleFile.bytes },
    ]);
    return {
      digest,
      files: [
        { path: MANIFEST_FILE, from: manifestFile.name, bytes: manifestFile.bytes.length },
        { path: bundlePath, from: bundleFile.name, bytes: bundleFile.bytes.length },
      ],
    };
  } catch (error) {
    throw new ArtifactInputError((error as Error).message);
  }
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}
