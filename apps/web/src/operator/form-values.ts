// Small conversions between form fields and API values.
import type { z } from "zod";

/** A datetime-local value (the operator's local time) as an ISO instant; "" stays "" (the schema then names the field). */
export function localToIso(value: string): string {
  if (!value) return "";
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/** The first schema issue as a sentence naming its field. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Some value is not valid.";
  const field = issue.path.join(" ") || "value";
  return `${field}: ${issue.message.replace(/^Invalid input: /, "")}.`;
}

/** A file download made in the browser from text. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
