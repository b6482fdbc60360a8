// The packed runtime a developer submits (`POST /v1/developer/submissions`) and
// its pure checks: manifest valid, files decodable, paths safe and unique, the
// manifest file present and equal to `manifest`, the entry present, size capped.
import { artifactEntryPath, artifactPathProblem, canonicalJson, MANIFEST_FILE, ManifestSchema, subjectDigest, type Digest, type Manifest } from "@assay/protocol";
import { z } from "zod";
import { issuesFromZod, PayloadTooLargeError, ValidationError } from "../errors";
import type { BundleFile } from "./artifact-store";

/**
 * Standard padded base64, checked in linear time without a regular expression
 * over the whole string: a grouped, repeated pattern overflowed V8's regex
 * backtracking stack on inputs of a few MiB ("Maximum call stack size
 * exceeded", a 500) well below the submission cap.
 */
export function isStandardBase64(value: string): boolean {
  if (value.length % 4 !== 0) return false;
  const end = value.endsWith("==") ? value.length - 2 : value.endsWith("=") ? value.length - 1 : value.length;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return true;
}

export const SubmitRuntimeBodySchema = z.strictObject({
  /** The parsed sigma-runtime.json (validated with ManifestSchema). */
  manifest: z.unknown(),
  /** Every file of the runtime, including sigma-runtime.json and the entry bundle. */
  files: z
    .array(z.strictObject({ path: z.string().min(1).max(256), contentBase64: z.string().refine(isStandardBase64, "expected standard base64") }))
    .min(1)
    .max(64),
  /** Audit seed; default derived from the subject digest (same artifact, same seed). */
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});
export type SubmitRuntimeBody = z.infer<typeof SubmitRuntimeBodySchema>;

export type UnpackedSubmission = {
  manifest: Manifest;
  files: BundleFile[];
  subjectDigest: Digest;
  sizeBytes: number;
  seed: number;
};

export function unpackSubmission(body: SubmitRuntimeBody, limits: { maxBytes: number }): UnpackedSubmission {
  const manifest = ManifestSchema.safeParse(body.manifest);
  if (!manifest.success) {
    throw new ValidationError("manifest_invalid", "the manifest (sigma-runtime.json) is not valid", issuesFromZod(manifest.error.issues));
  }
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  let sizeBytes = 0;
  for (const [index, file] of body.files.entries()) {
    // Checked as sent, never rewritten: a//b, a/./b, ../x, backslashes, NUL or
    // a bidi override would otherwise reach a certificate's listing.
    const problem = artifactPathProblem(file.path);
    if (problem) {
      const message = `file path ${JSON.stringify(file.path)} is not a canonical artifact path: ${problem}`;
      throw new ValidationError("artifact_path_invalid", message, [{ path: `files.${index}.path`, message: problem }]);
    }
    const path = file.path;
    if (seen.has(path)) throw new ValidationError("artifact_path_duplicate", `duplicate file path: ${path}`, [{ path: `files.${index}.path`, message: "duplicate" }]);
    seen.add(path);
    const content = Buffer.from(file.contentBase64, "base64");
    sizeBytes += content.byteLength;
    if (sizeBytes > limits.maxBytes) {
      throw new PayloadTooLargeError("submission_too_large", `the runtime's files exceed ${limits.maxBytes} bytes`, { maxBytes: limits.maxBytes });
    }
    files.push({ path, content });
  }
  const manifestFile = files.find((f) => f.path === MANIFEST_FILE);
  if (!manifestFile) throw new ValidationError("artifact_manifest_missing", `files must include ${MANIFEST_FILE}`);
  let fileManifest: unknown;
  try {
    fileManifest = JSON.parse(manifestFile.content.toString("utf8"));
  } catch {
    throw new ValidationError("manifest_invalid", `${MANIFEST_FILE} is not JSON`);
  }
  if (canonicalOrNull(fileManifest) !== canonicalJson(manifest.data)) {
    throw new ValidationError("artifact_manifest_mismatch", `${MANIFEST_FILE} differs from the manifest in the request`);
  }
  // The bundle of a TypeScript entry is packed under its JavaScript name.
  const entry = artifactEntryPath(manifest.data.entry);
  if (!seen.has(entry)) throw new ValidationError("artifact_entry_missing", `the entry bundle ${entry} named by the manifest is not among the files`);
  const digest = subjectDigest(files.map((f) => ({ path: f.path, content: f.content })));
  return { manifest: manifest.data, files, subjectDigest: digest, sizeBytes, seed: body.seed ?? seedFromDigest(digest) };
}

/** A 31-bit seed from the first bytes of a digest: reproducible per artifact. */
export function seedFromDigest(digest: Digest): number {
  return Number.parseInt(digest.slice(2, 10), 16) & 0x7fffffff;
}

function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalJson(value);
  } catch {
    return null;
  }
}
