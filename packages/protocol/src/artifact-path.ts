// Canonical artifact paths. A path inside an artifact is what a certificate's
// subject digest commits to and what reviewers read, so exactly one spelling of
// each file is accepted: relative, "/"-separated, no empty, "." or ".." segment,
// no backslash, NFC, and no character that hides or reorders what is shown
// (C0/C1 controls such as NUL, bidirectional controls such as U+202E RIGHT-TO-LEFT
// OVERRIDE, zero-width characters). Anything else is refused, never rewritten.
import { z } from "zod";

export const ARTIFACT_PATH_MAX_LENGTH = 256;

// C0 and C1 controls, DEL, the bidirectional controls (ALM, LRM, RLM, LRE..RLO,
// LRI..PDI) and zero-width/invisible formatting characters.
const HIDDEN_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `path` is not a canonical artifact path, or null when it is one. */
export function artifactPathProblem(path: string): string | null {
  if (path.length === 0) return "the path is empty";
  if (path.length > ARTIFACT_PATH_MAX_LENGTH) return `the path is longer than ${ARTIFACT_PATH_MAX_LENGTH} characters`;
  if (LONE_SURROGATE.test(path)) return "the path is not well-formed Unicode (a lone surrogate)";
  const hidden = HIDDEN_OR_CONTROL.exec(path);
  if (hidden) return `the path contains the control or invisible character U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (path.includes("\\")) return "the path contains a backslash (use /)";
  if (path.startsWith("/")) return "the path is absolute (it must be relative to the artifact)";
  if (path.normalize("NFC") !== path) return "the path is not in Unicode normalisation form C";
  for (const segment of path.split("/")) {
    if (segment === "") return "the path has an empty segment (// or a trailing /)";
    if (segment === "." || segment === "..") return `the path has a "${segment}" segment`;
  }
  return null;
}

export function isCanonicalArtifactPath(path: string): boolean {
  return artifactPathProblem(path) === null;
}

/** Throws an Error naming the path and the problem. */
export function assertCanonicalArtifactPath(path: string): string {
  const problem = artifactPathProblem(path);
  if (problem) throw new Error(`artifact path ${JSON.stringify(path)} is not canonical: ${problem}`);
  return path;
}

export const ArtifactPathSchema = z.string().superRefine((path, ctx) => {
  const problem = artifactPathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
