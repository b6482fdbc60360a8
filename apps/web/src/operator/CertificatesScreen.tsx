// Every submission (newest first, as the developer portal shows them) and the
// certificate status form (suspend, revoke, expire, reinstate).
import { operatorApi, type Credential } from "../api/client";
import { SubmissionsTable } from "../developer/SubmissionsTable";
import { ResourceView, useResource } from "../ui/useResource";
import { CertificateStatusForm } from "./CertificateStatusForm";

export function CertificatesScreen({ credential }: { credential: Credential }) {
  const submissions = useResource(() => operatorApi.submissions(credential), [credential]);
  return (
    <>
      <ResourceView resource={submissions} what="submissions">
        {(page) => (page.items.length === 0 ? <p className="data-empty">No submission yet.</p> : <SubmissionsTable items={page.items} caption="All submissions, newest first" />)}
      </ResourceView>
      <CertificateStatusForm credential={credential} />
    </>
  );
}
