// An error in plain words with what to do next, announced to screen readers;
// optionally with a retry button. The next step follows from the HTTP status.
import { ApiError, readableError } from "../api/errors";

export function nextStep(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.code === "api_unreachable") return "Check that the API is running, then try again.";
    if (error.status === 401) return "Your session has ended: sign in again.";
    if (error.status === 403) return "Your role may not do this: ask an admin.";
    if (error.status === 404) return "It no longer exists: reload the list.";
    if (error.status === 409) return "Someone changed it meanwhile: reload and try again.";
    if (error.status === 429) return "Too many attempts: wait a minute and try again.";
    if (error.status === 400 || error.status === 422) return "Correct the values above and submit again.";
    if (error.code === "unexpected_response") return "The API and this page disagree on a shape: reload the page; if it stays, report it.";
    if (error.status >= 500) return "The server failed: try again in a moment.";
  }
  return "Correct the values above and try again.";
}

export function ErrorNotice({ error, context, onRetry }: { error: unknown; context: string; onRetry?: () => void }) {
  if (error === null || error === undefined) return null;
  return (
    <div className="error error-notice" role="alert">
      <p>
        {context}: {readableError(error)}
      </p>
      <p>
        {nextStep(error)}{" "}
        {onRetry && (
          <button type="button" className="secondary" onClick={onRetry}>
            Try again
          </button>
        )}
      </p>
    </div>
  );
}
