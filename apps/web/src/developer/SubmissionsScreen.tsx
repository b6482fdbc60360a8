// The developer's submissions, newest first, each linking to its live page.
import { useState } from "react";
import type { SubmissionViewBody as SubmissionView } from "@assay/protocol";
import { developerApi, type Credential } from "../api/client";
import { Link } from "../router";
import { ProblemNote } from "./ProblemNote";
import { SubmissionsTable } from "./SubmissionsTable";
import { useLoad } from "./use-load";

export function SubmissionsScreen({ credential }: { credential: Credential }) {
  const first = useLoad(() => developerApi.submissions(credential), [credential]);
  const [more, setMore] = useState<{ items: SubmissionView[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setBusy(true);
    try {
      const page = await developerApi.submissions(credential, cursor);
      setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], cursor: page.nextCursor }));
    } catch (e) {
      setMoreError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="subs-heading">
      <div className="dev-section-head">
        <h2 id="subs-heading">Submissions</h2>
        <button type="button" className="secondary" onClick={first.reload} disabled={first.loading}>
          Refresh
        </button>
      </div>
      <ProblemNote error={first.error} context="Could not list your submissions" />
      {first.loading && first.data === null && <p role="status">Loading submissions…</p>}
      {first.data && items.length === 0 && (
        <div className="dev-empty">
          <p>No submissions yet.</p>
          <p>
            Create an API key on the <Link to="/developer/keys">API keys</Link> screen, then run <code>assay login --api-key &lt;key&gt;</code> and{" "}
            <code>assay submit &lt;runtime dir&gt;</code>. The submission appears here and you can watch it live.
          </p>
        </div>
      )}
      {items.length > 0 && (
        <div className="dev-scroll">
          <SubmissionsTable items={items} caption="Your submissions, newest first" linkTo={(id) => `/developer/submissions/${id}`} />
        </div>
      )}
      <ProblemNote error={moreError} context="Could not load more submissions" />
      {cursor && (
        <button type="button" onClick={() => void loadMore()} disabled={busy}>
          {busy ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
