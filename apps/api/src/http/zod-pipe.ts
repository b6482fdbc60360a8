// Validates a request part (body, param, query) with a zod schema; a mismatch is
// a ValidationError (400 with the issues), never a 500.
import type { PipeTransform } from "@nestjs/common";
import { issuesFromZod, ValidationError } from "@assay/platform";
import { toJSONSchema, type z } from "zod";

export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    readonly schema: S,
    private readonly code = "request_invalid",
    private readonly options: { nulCheckedLaterAt?: RegExp } = {},
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new ValidationError(this.code, "the request does not match the expected shape", issuesFromZod(parsed.error.issues));
    const nul = pathOfNulText(parsed.data, this.options.nulCheckedLaterAt);
    if (nul) throw new ValidationError(this.code, "the request does not match the expected shape", [{ path: nul, message: "text must not contain the NUL character (U+0000)" }]);
    return parsed.data;
  }
}

/**
 * The path of the first string (value or key) holding U+0000 in a parsed request, or null. Why here, once:
 * PostgreSQL text cannot hold NUL, so such a value would fail in the database as a 500 wherever a schema
 * forgot to refuse it (found by the fuzzer on a search filter; an API key's name did the same). `checkedLaterAt`:
 * paths whose values a service checks itself with a more precise error.
 */
export function pathOfNulText(value: unknown, checkedLaterAt?: RegExp): string | null {
  // Iterative (a deeply nested body must not overflow the stack), and a path is spelled only for a NUL found:
  // nearly every request has none, and this walks every request body.
  const stack: Visit[] = [{ value, parent: null, key: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === "string") {
      if (current.includes("\u0000")) {
        const path = pathOf(visit);
        if (!checkedLaterAt?.test(path)) return path || "(value)";
      }
    } else if (current !== null && typeof current === "object") {
      for (const [key, child] of Object.entries(current)) {
        const childVisit = { value: child, parent: visit, key };
        if (key.includes("\u0000")) return pathOf(childVisit);
        stack.push(childVisit);
      }
    }
  }
  return null;
}

/** A value met by pathOfNulText and the key it was reached by. */
type Visit = { value: unknown; parent: Visit | null; key: string | null };

/** Dotted keys from the root ("" for the root itself). */
function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v !== null && v.key !== null; v = v.parent) keys.push(v.key);
  return keys.reverse().join(".");
}

/** A zod schema as a JSON schema (OpenAPI 3.0 dialect) for the OpenAPI documents: requests as accepted (input), responses as sent (output). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const json = toJSONSchema(schema, { unrepresentable: "any", io, target: "openapi-3.0" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
