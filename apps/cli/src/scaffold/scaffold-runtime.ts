// Scaffold a new runtime directory from a template runtime (by default the
// reference runtime): the template's manifest under the new name, and exactly
// the source files its entry bundles from (found through the bundler, so a
// multi-file template copies whole). The result is loaded once before returning,
// so `assay init` never leaves behind a runtime that `assay validate` rejects.
import { copyFile, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { manifestLanguage, MANIFEST_FILE, ManifestSchema, type Digest } from "@assay/protocol";
import { InitError, RuntimeDirectoryError, UsageError } from "../errors";
import { loadRuntimeDirectory } from "../runtime-dir/load";
import { bundleEntry } from "../runtime-dir/bundle-entry";
import { collectPythonSources } from "../runtime-dir/python-sources";
import { readManifest } from "../runtime-dir/read-manifest";

export type ScaffoldRequest = {
  targetDir: string;
  /** Manifest name; defaults to one derived from the target directory's name. */
  name?: string;
  /** Write into a non-empty directory (files of the same name are overwritten, others kept). */
  force: boolean;
  templateDir: string;
};

export type ScaffoldResult = {
  dir: string;
  name: string;
  /** Files written, relative to dir (sorted). */
  files: string[];
  subjectDigest: Digest;
};

const FALLBACK_NAME = "my-runtime";

export async function scaffoldRuntime(request: ScaffoldRequest): Promise<ScaffoldResult> {
  const dir = resolve(request.targetDir);
  const name = request.name ?? nameFromDirectory(dir);
  if (!ManifestSchema.shape.name.safeParse(name).success) {
    throw new UsageError(`invalid --name: "${name}": a runtime name is 1-64 chars of a-z, 0-9, '.', '_' or '-', starting with a letter or digit`);
  }
  const template = await readTemplate(request.templateDir);
  if (dir === template.dir) {
    throw new InitError("TARGET_IS_TEMPLATE", `${dir} is the template itself; choose another directory`);
  }
  await prepareTarget(dir, request.force);

  const manifest = { ...template.manifestJson, name };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const source of template.sources) {
    await mkdir(dirname(join(dir, source)), { recursive: true });
    await copyFile(join(template.dir, source), join(dir, source));
  }

  const loaded = await loadRuntimeDirectory(dir);
  return { dir, name, files: [MANIFEST_FILE, ...template.sources].sort(), subjectDigest: loaded.subjectDigest };
}

/** A manifest name from a directory name: "My Runtime!" → "my-runtime". */
export function nameFromDirectory(dir: string): string {
  const candidate = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 64)
    .replace(/[-._]+$/, "");
  return candidate.length > 0 ? candidate : FALLBACK_NAME;
}

type Template = { dir: string; manifestJson: Record<string, unknown>; sources: string[] };

async function readTemplate(templateDir: string): Promise<Template> {
  const dir = resolve(templateDir);
  try {
    const { manifest, manifestText } = await readManifest(dir);
    // A Python template has no bundler: its sources are its .py files.
    const { inputs } =
      manifestLanguage(manifest) === "python" ? await collectPythonSources(dir, manifest.entry.replace(/^\.\//, ""), Number.MAX_SAFE_INTEGER) : await bundleEntry(dir, resolve(dir, manifest.entry));
    const outside = inputs.filter((p) => isAbsolute(p) || p.startsWith("..") || p.includes("node_modules/"));
    if (outside.length > 0) {
      throw new InitError("TEMPLATE_UNUSABLE", `template ${dir} bundles files outside its directory and cannot be copied`, outside);
    }
    return { dir, manifestJson: JSON.parse(manifestText.replace(/^\uFEFF/, "")) as Record<string, unknown>, sources: inputs };
  } catch (error) {
    if (error instanceof RuntimeDirectoryError) {
      throw new InitError("TEMPLATE_UNUSABLE", `the runtime template at ${dir} is unusable: ${error.message}`, error.details);
    }
    throw error;
  }
}

async function prepareTarget(dir: string, force: boolean): Promise<void> {
  let existing: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new InitError("TARGET_NOT_DIRECTORY", `${dir} exists and is not a directory`);
    existing = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await mkdir(dir, { recursive: true });
    return;
  }
  if (existing.length > 0 && !force) {
    const shown = existing.sort().slice(0, 5);
    throw new InitError(
      "TARGET_NOT_EMPTY",
      `${dir} is not empty (${existing.length} entr${existing.length === 1 ? "y" : "ies"}); use --force to scaffold into it anyway`,
      existing.length > shown.length ? [...shown, "..."] : shown,
    );
  }
}
