// The one machine-readable error shape of every plane: every 4xx and 5xx body
// is `{ error: { code, message, details? } }` (apps/api/src/http/error-mapping.ts
// builds it; clients branch on `code`, never on `message`).
import { z } from "zod";

export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({
    /** snake_case, stable: what clients branch on. */
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** For people; may change wording. */
    message: z.string(),
    /** Validation issues (path + message) or limits; shape depends on `code`. */
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
