// The submission's certificate: its status and validity, and a share link to the
// public verify page, where anyone can check it in their browser.
import { developerApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { Link } from "../router";
import { CopyButton } from "./CopyButton";
import { ProblemNote } from "./ProblemNote";
import { useLoad } from "./use-load";

export function CertificateShare({ credential, submissionId, certificateId }: { credential: Credential; submissionId: string; certificateId: string }) {
  const certificate = useLoad(() => developerApi.certificate(credential, submissionId), [credential, submissionId, certificateId]);
  const path = `/verify/${certificateId}`;
  const shareUrl = `${window.location.origin}${path}`;
  const doc = certificate.data as (Record<string, unknown> & { status?: { state: string; reason: string | null } }) | null;
  const text = (key: string) => (doc && typeof doc[key] === "string" ? (doc[key] as string) : null);
  return (
    <section aria-labelledby="cert-heading" className="dev-certificate" data-testid="certificate">
      <h2 id="cert-heading">Certificate</h2>
      <ProblemNote error={certificate.error} context="Could not load the certificate" />
      {certificate.loading && !doc && <p role="status">Loading the certificate…</p>}
      {doc && (
        <dl className="facts">
          <dt>Id</dt>
          <dd>
            <code className="digest">{certificateId}</code>
          </dd>
          <dt>Status</dt>
          <dd data-certificate-state={doc.status?.state}>
            {doc.status?.state ?? "unknown"}
            {doc.status?.reason ? ` (${doc.status.reason})` : ""}
          </dd>
          {text("issuedAt") && (
            <>
              <dt>Issued</dt>
              <dd>{formatTime(text("issuedAt"))}</dd>
            </>
          )}
          {text("validUntil") && (
            <>
              <dt>Valid until</dt>
              <dd>{formatTime(text("validUntil"))}</dd>
            </>
          )}
        </dl>
      )}
      <label htmlFor="cert-share">Share link (anyone can verify it, no account needed)</label>
      <div className="row dev-share">
        <input id="cert-share" readOnly value={shareUrl} onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
        <CopyButton text={shareUrl} label="Copy link" />
      </div>
      <p>
        <Link to={path}>Open the public verify page</Link>
      </p>
    </section>
  );
}
