// zod schemas for every flag and argument, and the one helper that turns a
// failed parse into a UsageError naming the flag.
import { ManifestSchema } from "@assay/protocol";
import { z } from "zod";
import { UsageError } from "./errors";
import { formatPath } from "./runtime-dir/read-manifest";

const MAX_SEED = 2 ** 32 - 1;

export const DirectoryArgument = z.string().min(1, "a directory is required");

/** `--seed N`: a decimal integer in [0, 2^32 - 1] (the audit's PRNG seed space). */
export const SeedOption = z
  .string()
  .regex(/^\d+$/, `must be a whole number between 0 and ${MAX_SEED}`)
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n <= MAX_SEED, `must be a whole number between 0 and ${MAX_SEED}`);

/** `--suite ID`: syntactically a suite id; whether it exists is checked against the audit's suites. */
export const SuiteOption = ManifestSchema.shape.suite;

export const RuntimeNameOption = ManifestSchema.shape.name;

/** `--parallelism N`: audit child processes at once, a whole number 1..64. */
export const ParallelismOption = z
  .string()
  .regex(/^\d+$/, "must be a whole number between 1 and 64")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 64, "must be a whole number between 1 and 64");

export const JsonFlag = z.boolean().default(false);

/** Parse raw commander values with a zod schema; failures name the flag (`--seed: ...`). */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, flagNames: Record<string, string> = {}): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const key = formatPath(issue.path);
    return `${flagNames[key] ?? `--${key}`}: ${issue.message}`;
  });
  throw new UsageError(details.length === 1 ? `invalid ${details[0]}` : "invalid options:", details.length === 1 ? [] : details);
}
