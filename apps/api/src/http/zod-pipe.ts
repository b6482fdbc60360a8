// Validates a request part (body, param, query) with a zod schema; a mismatch is
// a ValidationError (400 with the issues), never a 500.
import type { PipeTransform } from "@nestjs/common";
import { issuesFromZod, ValidationError } from "@assay/platform";
import { toJSONSchema, type z } from "zod";

export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    readonly schema: S,
    private readonly code = "request_invalid",
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new ValidationError(this.code, "the request does not match the expected shape", issuesFromZod(parsed.error.issues));
    return parsed.data;
  }
}

/** A zod schema as a JSON schema (OpenAPI 3.0 dialect) for the OpenAPI documents: requests as accepted (input), responses as sent (output). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const json = toJSONSchema(schema, { unrepresentable: "any", io, target: "openapi-3.0" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
