import { explain } from "./problem";

/** An error in plain words with a next step, announced to screen readers; the API's message as detail. */
export function ProblemNote({ error, context }: { error: unknown; context?: string }) {
  if (error === null || error === undefined) return null;
  const p = explain(error);
  return (
    <div className="error dev-problem" role="alert">
      <p>
        {context ? <strong>{context}: </strong> : null}
        {p.summary} {p.next}
      </p>
      {p.detail && <p className="dev-problem-detail">Detail: {p.detail}</p>}
    </div>
  );
}
