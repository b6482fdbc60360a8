// Typed errors of the assembly logic. Callers (API, workers) map them to 4xx
// answers or failed jobs by `code`, never by message text.

export type AssemblyErrorCode =
  | "INVALID_PARAMS"
  | "INVALID_INPUT"
  | "DUPLICATE_VALIDATOR"
  | "NO_ELIGIBLE_VALIDATORS"
  | "SNAPSHOT_DIGEST_MISMATCH";

export class AssemblyError extends Error {
  override readonly name = "AssemblyError";
  constructor(
    readonly code: AssemblyErrorCode,
    message: string,
    /** Machine-readable detail (e.g. zod issues), safe to return to a client. */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** Parse with a zod schema and turn a failure into a typed AssemblyError. */
export function parseOrThrow<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } },
  value: unknown,
  what: string,
  code: AssemblyErrorCode = "INVALID_INPUT",
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues as { path?: PropertyKey[]; message?: string }[];
  const first = issues[0];
  const where = first?.path && first.path.length > 0 ? first.path.map(String).join(".") : "(root)";
  throw new AssemblyError(code, `${what}: ${where}: ${first?.message ?? "invalid"}`, issues);
}
