// Typed errors of the certificate module. Verification never throws for a bad
// document (it reports failed checks); these are for callers' programming or
// configuration mistakes: signing an invalid payload, a wrong key, a bad context.
export type CertificateErrorCode =
  | "PAYLOAD_INVALID"
  | "KID_MISMATCH"
  | "KEY_INVALID"
  | "TIME_INVALID"
  | "CONTEXT_INVALID";

export class CertificateError extends Error {
  override readonly name = "CertificateError";
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One line naming each zod issue with its path. */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
