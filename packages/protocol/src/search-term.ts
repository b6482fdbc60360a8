// A search filter typed by a person (the `q` of the operator's lists, the audit log's filters): trimmed,
// bounded, and free of control characters, which never belong to a name, id or key and which PostgreSQL
// text cannot always hold (NUL).
import { z } from "zod";

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export function searchTerm(maxLength: number) {
  return z.string().trim().min(1).max(maxLength).regex(NO_CONTROL, "no control characters");
}
