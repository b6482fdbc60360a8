// The developer portal: an API key, then the developer's submissions.
import { useEffect, useState } from "react";
import { developerApi } from "../api/client";
import type { SubmissionViewBody as SubmissionView } from "@assay/protocol";
import { ErrorMessage } from "../ui/ErrorMessage";
import { ApiKeyForm } from "./ApiKeyForm";
import { useApiKey } from "./api-key";
import { SubmissionsTable } from "./SubmissionsTable";

export function DeveloperPortal() {
  const { credential, save, forget } = useApiKey();
  const [items, setItems] = useState<SubmissionView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!credential) return;
    let live = true;
    setLoading(true);
    setError(null);
    developerApi.submissions(credential).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setItems(null);
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [credential?.kind === "api-key" ? credential.key : null]); // eslint-disable-line react-hooks/exhaustive-deps

  const loadMore = async () => {
    if (!credential || !cursor) return;
    setLoading(true);
    try {
      const page = await developerApi.submissions(credential, cursor);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <section aria-labelledby="dev-heading">
      <h1 id="dev-heading">Developer portal</h1>
      {!credential ? (
        <>
          <p>
            Submit runtimes with <code>assay submit</code>; follow them here.
          </p>
          <ApiKeyForm onSave={save} />
        </>
      ) : (
        <>
          <p className="row spread">
            <span>Signed in with an API key for this tab.</span>
            <button type="button" className="secondary" onClick={forget}>
              Forget key
            </button>
          </p>
          <ErrorMessage error={error} context="Could not list submissions" />
          {loading && items === null && <p role="status">Loading submissions…</p>}
          {items && <SubmissionsTable items={items} caption="Your submissions, newest first" linkTo={(id) => `/developer/submissions/${id}`} />}
          {cursor && (
            <button type="button" onClick={() => void loadMore()} disabled={loading}>
              Load more
            </button>
          )}
        </>
      )}
    </section>
  );
}
