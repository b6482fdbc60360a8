// Every submission (newest first; older pages fetched with the API's cursor),
// filterable and paginated, and the certificate status form (suspend, revoke,
// expire, reinstate; confirmed).
import type { SubmissionViewBody as SubmissionView } from "@assay/protocol";
import { useState } from "react";
import { operatorApi, type Credential } from "../api/client";
import { StatusBadge } from "../developer/StatusBadge";
import { formatTime, shortDigest } from "../format";
import { Link } from "../router";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ResourceView, useResource } from "../ui/useResource";
import { CertificateStatusForm } from "./CertificateStatusForm";

export function CertificatesScreen({ credential }: { credential: Credential }) {
  const first = useResource(() => operatorApi.submissions(credential), [credential]);
  const [older, setOlder] = useState<{ items: SubmissionView[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const loadOlder = async (cursor: string) => {
    setBusy(true);
    setMoreError(null);
    try {
      const page = await operatorApi.submissions(credential, cursor);
      setOlder((prev) => ({ items: [...(prev?.items ?? []), ...page.items], nextCursor: page.nextCursor ?? null }));
    } catch (e) {
      setMoreError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ResourceView resource={first} what="submissions">
        {(page) => {
          const items = [...page.items, ...(older?.items ?? [])];
          const cursor = older ? older.nextCursor : (page.nextCursor ?? null);
          return (
            <>
              <DataTable
                caption="All submissions, newest first"
                tableClassName="submissions"
                rows={items}
                rowKey={(s) => s.id}
                rowProps={(s) => ({ "data-submission": s.id })}
                empty="No submission yet."
                columns={[
                  { header: "Submission", rowHeader: true, cell: (s) => <code title={s.id}>{shortDigest(s.id, 8)}</code>, text: (s) => s.id },
                  { header: "Runtime", cell: (s) => `${s.runtime.name} ${s.runtime.version}`, text: (s) => `${s.runtime.name} ${s.runtime.version}` },
                  { header: "Status", cell: (s) => <StatusBadge status={s.status} />, text: (s) => s.status },
                  { header: "Suite / seed", cell: (s) => `${s.suite} / ${s.seed}`, text: (s) => s.suite },
                  { header: "Created", cell: (s) => formatTime(s.createdAt), text: (s) => s.createdAt },
                  {
                    header: "Certificate",
                    cell: (s) => (s.certificateId ? <Link to={`/verify/${s.certificateId}`}>{shortDigest(s.certificateId, 6)}</Link> : "–"),
                    text: (s) => s.certificateId ?? "",
                  },
                ]}
              />
              {cursor && (
                <button type="button" className="secondary" onClick={() => void loadOlder(cursor)} disabled={busy}>
                  {busy ? "Loading…" : "Load older submissions"}
                </button>
              )}
              <ErrorNotice error={moreError} context="Could not load older submissions" />
            </>
          );
        }}
      </ResourceView>
      <CertificateStatusForm credential={credential} />
    </>
  );
}
