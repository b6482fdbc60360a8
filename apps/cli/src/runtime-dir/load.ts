// Load a runtime directory as the artifact that is audited and certified
// (SPEC §3): its manifest plus the bundled entry, and the subject digest over
// exactly those two files.
import { realpath, stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { artifactPathProblem, manifestLanguage, MANIFEST_FILE, subjectDigest, type ArtifactFile, type Digest, type Manifest } from "@assay/protocol";
import { RuntimeDirectoryError } from "../errors";
import { artifactEntryPath } from "./artifact-paths";
import { BUNDLE_MAX_BYTES, bundleEntry } from "./bundle-entry";
import { collectPythonSources } from "./python-sources";
import { readManifest } from "./read-manifest";

export type LoadedRuntime = {
  /** Absolute path of the runtime directory. */
  dir: string;
  manifest: Manifest;
  /** sigma-runtime.json exactly as written (its UTF-8 bytes are in the artifact). */
  manifestText: string;
  /** The bundled entry: one self-contained ES2022 module (Python: the entry module's source). */
  bundle: string;
  /** Python runtimes: every .py file of the artifact, path → source (the entry included). */
  pythonSources?: Record<string, string>;
  /** Absolute path of the entry source file named by the manifest. */
  entryPath: string;
  /** Source files bundled into the entry, relative to the directory (sorted). */
  sources: string[];
  /** The artifact: sigma-runtime.json and the bundle (at artifactEntryPath(manifest.entry)). */
  files: ArtifactFile[];
  subjectDigest: Digest;
};

export type LoadOptions = { maxBundleBytes?: number };

export async function loadRuntimeDirectory(dirArgument: string, options: LoadOptions = {}): Promise<LoadedRuntime> {
  const dir = await requireDirectory(resolve(dirArgument), dirArgument);
  const { manifest, manifestText } = await readManifest(dir);
  const entryPath = await requireEntryFile(dir, manifest.entry);
  if (manifestLanguage(manifest) === "python") return loadPythonRuntime(dir, manifest, manifestText, entryPath, options);
  const { code, inputs } = await bundleEntry(dir, entryPath, options.maxBundleBytes ?? BUNDLE_MAX_BYTES);
  const files: ArtifactFile[] = [
    { path: MANIFEST_FILE, content: new TextEncoder().encode(manifestText) },
    { path: entryArtifactPath(manifest.entry), content: new TextEncoder().encode(code) },
  ];
  return {
    dir,
    manifest,
    manifestText,
    bundle: code,
    entryPath,
    sources: inputs,
    files,
    subjectDigest: subjectDigest(files),
  };
}

/** A Python runtime's artifact: the manifest and its .py files as they are (no bundler). */
async function loadPythonRuntime(dir: string, manifest: Manifest, manifestText: string, entryPath: string, options: LoadOptions): Promise<LoadedRuntime> {
  const entry = entryArtifactPath(manifest.entry);
  const { sources, inputs } = await collectPythonSources(dir, entry, options.maxBundleBytes ?? BUNDLE_MAX_BYTES);
  const files: ArtifactFile[] = [
    { path: MANIFEST_FILE, content: new TextEncoder().encode(manifestText) },
    ...inputs.map((path) => ({ path, content: new TextEncoder().encode(sources[path]!) })),
  ];
  return { dir, manifest, manifestText, bundle: sources[entry]!, pythonSources: sources, entryPath, sources: inputs, files, subjectDigest: subjectDigest(files) };
}

/** Where the bundle goes in the artifact; refused (exit 2) unless canonical, as the server would refuse it. */
function entryArtifactPath(entry: string): string {
  let path: string;
  try {
    path = artifactEntryPath(entry);
  } catch (error) {
    throw new RuntimeDirectoryError("ARTIFACT_PATH_INVALID", `entry ${JSON.stringify(entry)} cannot be an artifact path: ${(error as Error).message}`);
  }
  const problem = artifactPathProblem(path);
  if (problem) throw new RuntimeDirectoryError("ARTIFACT_PATH_INVALID", `entry ${JSON.stringify(entry)} is not a canonical artifact path: ${problem}`);
  return path;
}

async function requireDirectory(dir: string, shownAs: string): Promise<string> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new RuntimeDirectoryError("NOT_A_DIRECTORY", `${shownAs} is not a directory: a runtime is a directory holding ${MANIFEST_FILE}`);
    }
    // The real path, so symlinked entries can be checked against it.
    return await realpath(dir);
  } catch (error) {
    if (error instanceof RuntimeDirectoryError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RuntimeDirectoryError("DIRECTORY_MISSING", `runtime directory ${shownAs} does not exist`);
    }
    throw new RuntimeDirectoryError("DIRECTORY_MISSING", `cannot read runtime directory ${shownAs}: ${(error as Error).message}`);
  }
}

async function requireEntryFile(dir: string, entry: string): Promise<string> {
  const entryPath = resolve(dir, entry);
  let real: string;
  try {
    real = await realpath(entryPath);
    if (!(await stat(real)).isFile()) {
      throw new RuntimeDirectoryError("ENTRY_MISSING", `entry ${entry} (from ${MANIFEST_FILE}) is not a file`);
    }
  } catch (error) {
    if (error instanceof RuntimeDirectoryError) throw error;
    throw new RuntimeDirectoryError(
      "ENTRY_MISSING",
      `entry ${entry} named in ${MANIFEST_FILE} does not exist in ${dir}`,
    );
  }
  // A symlink could smuggle in a file from elsewhere; the artifact is the directory.
  if (real !== dir && !real.startsWith(dir + sep)) {
    throw new RuntimeDirectoryError("ENTRY_OUTSIDE_DIRECTORY", `entry ${entry} resolves to ${real}, outside the runtime directory`);
  }
  return real;
}
