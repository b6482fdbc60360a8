// The subject digest of a runtime artifact: SHA-256 over the JCS bytes of the
// sorted listing of its files (path + SHA-256 of the content), so the same sources
// always give the same digest whatever order or machine they come from.
import { artifactPathProblem } from "./artifact-path";
import { digestOf, sha256Hex, type Digest } from "./canonical";

// Re-exported here so the package index stays as it is: paths belong with the subject.
export * from "./artifact-path";

export type ArtifactFile = { path: string; content: Uint8Array | string };
export type ArtifactListingEntry = { path: string; sha256: string };

/**
 * A manifest's entry as an artifact path: a leading "./" is dropped and
 * backslashes become "/" (the author's spelling of a file on disk); the result
 * must be canonical (artifact-path.ts). File paths that arrive in a submission
 * are checked as they are, without this rewriting.
 */
export function normaliseArtifactPath(path: string): string {
  const normalised = path.replace(/\\/g, "/").replace(/^\.\//, "");
  const problem = artifactPathProblem(normalised);
  if (problem) throw new Error(`artifact path must be canonical, relative and inside the artifact: ${JSON.stringify(path)} (${problem})`);
  return normalised;
}

export function artifactListing(files: ArtifactFile[]): ArtifactListingEntry[] {
  const entries = files.map((f) => ({ path: normaliseArtifactPath(f.path), sha256: sha256Hex(f.content) }));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.path === entries[i - 1]!.path) throw new Error(`duplicate artifact path: ${entries[i]!.path}`);
  }
  return entries;
}

export function subjectDigest(files: ArtifactFile[]): Digest {
  return digestOf({ format: "assay.artifact/v1", files: artifactListing(files) });
}

/**
 * Where a runtime's bundle sits inside its artifact. The manifest keeps the
 * author's entry (e.g. src/index.ts); the bundle is JavaScript, so a TypeScript
 * entry's bundle is stored under the same path with the JavaScript extension.
 * The CLI packs by this rule and the platform unpacks by it.
 */
export function artifactEntryPath(entry: string): string {
  const normalised = normaliseArtifactPath(entry);
  if (normalised.endsWith(".mts")) return `${normalised.slice(0, -4)}.mjs`;
  if (normalised.endsWith(".ts")) return `${normalised.slice(0, -3)}.js`;
  return normalised;
}
