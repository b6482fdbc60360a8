import { readableError } from "../api/errors";

/** An error as a sentence, announced to screen readers. */
export function ErrorMessage({ error, context }: { error: unknown; context?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="error" role="alert">
      {context ? `${context}: ` : ""}
      {readableError(error)}
    </p>
  );
}
