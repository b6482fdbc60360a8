// Read and validate sigma-runtime.json (SPEC §3). Every way it can be unreadable
// becomes a RuntimeDirectoryError that names the file and the problem.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_FILE, ManifestSchema, type Manifest } from "@assay/protocol";
import type { z } from "zod";
import { RuntimeDirectoryError } from "../errors";
import { locateJsonError } from "./json-error";

/** A manifest is a few hundred bytes; anything near this is not a manifest. */
export const MANIFEST_MAX_BYTES = 64 * 1024;

export type ManifestRead = {
  manifest: Manifest;
  /** The file's exact text: these bytes (UTF-8) go into the artifact and its digest. */
  manifestText: string;
};

export async function readManifest(dir: string): Promise<ManifestRead> {
  const path = join(dir, MANIFEST_FILE);
  const bytes = await readManifestBytes(path);
  const manifestText = decodeUtf8(bytes, path);
  const json = parseJson(manifestText, path);
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new RuntimeDirectoryError(
      "MANIFEST_INVALID",
      `${path} is not a valid runtime manifest (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? "" : "s"}):`,
      parsed.error.issues.map(formatIssue),
    );
  }
  return { manifest: parsed.data, manifestText };
}

async function readManifestBytes(path: string): Promise<Buffer> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MANIFEST_MAX_BYTES) {
      throw new RuntimeDirectoryError(
        "MANIFEST_UNREADABLE",
        `${path} is ${bytes.length} bytes; a manifest may be at most ${MANIFEST_MAX_BYTES} bytes`,
      );
    }
    return bytes;
  } catch (error) {
    if (error instanceof RuntimeDirectoryError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new RuntimeDirectoryError("MANIFEST_MISSING", `no ${MANIFEST_FILE} in ${pathDir(path)}: a runtime directory needs a manifest`);
    }
    if (code === "EISDIR") throw new RuntimeDirectoryError("MANIFEST_UNREADABLE", `${path} is a directory, not a file`);
    throw new RuntimeDirectoryError("MANIFEST_UNREADABLE", `cannot read ${path}: ${(error as Error).message}`);
  }
}

function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    // ignoreBOM: keep a byte-order mark in the text, so the artifact holds the file's exact bytes.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RuntimeDirectoryError("MANIFEST_NOT_JSON", `${path} is not UTF-8 text`);
  }
}

function parseJson(text: string, path: string): unknown {
  // A leading byte-order mark is legal in a UTF-8 file but not in JSON text; the
  // file's bytes (and so the digest) keep it.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const where = locateJsonError(body, error);
    throw new RuntimeDirectoryError(
      "MANIFEST_NOT_JSON",
      `${path} is not valid JSON: ${where.message} at line ${where.line}, column ${where.column}`,
    );
  }
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** `identity.constraints[0]`; the whole document is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

function pathDir(path: string): string {
  return path.slice(0, path.length - MANIFEST_FILE.length - 1) || ".";
}
