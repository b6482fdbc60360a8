// A certificate's permanent public page (/registry/<id>): its badge (served by
// the API, /badge/<id>.svg), what the registry says about it (status, claims
// with what the audit noted, renewals, public flags) and a link to verify it in
// the browser. The registry view is server-reported; the verify page checks the signature.
import { CertificateRegistryViewSchema, DIGEST_PATTERN, type CertificateRegistryView } from "@assay/protocol";
import { useEffect, useState } from "react";
import { publicApi, ROUTES } from "../api/client";
import { Link } from "../router";
import { ErrorMessage } from "../ui/ErrorMessage";
import { AssemblyPanel } from "../verify/AssemblyPanel";
import { humanTime, sripDescription } from "../verify/explain";
import { plainError } from "./plain-error";
import { RegistryStatus } from "./RegistryPage";

const WITHHELD: Record<string, string> = {
  "not-evidenced": "not evidenced: the audit found major or critical findings against it",
  "not-tested": "not tested: the audit suite has no scenario for it",
  "denied-by-assembly": "denied by the validator assembly",
};

export function CertificatePage({ id }: { id: string }) {
  const [view, setView] = useState<CertificateRegistryView | null>(null);
  /** The document's assembly.recordDigest (null: audit-only), which the assembly record must hash to. */
  const [recordDigest, setRecordDigest] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [badgeFailed, setBadgeFailed] = useState(false);
  const wellFormed = DIGEST_PATTERN.test(id);

  useEffect(() => {
    if (!wellFormed) return;
    let live = true;
    publicApi.certificate(id).then(
      (response) => {
        if (!live) return;
        const parsed = CertificateRegistryViewSchema.safeParse(response.registry);
        const digest = (response.payload as { assembly?: { recordDigest?: unknown } | null } | undefined)?.assembly?.recordDigest;
        setRecordDigest(typeof digest === "string" ? digest : null);
        if (parsed.success) setView(parsed.data);
        else setError(new Error("The server's answer has no registry entry for this certificate. Reload the page; if it persists, verify the certificate instead."));
      },
      (e: unknown) => live && setError(plainError(e, "This certificate could not be loaded")),
    );
    return () => {
      live = false;
    };
  }, [id, wellFormed]);

  const badgeUrl = ROUTES.badge(id);
  const absoluteBadge = `${window.location.origin}${badgeUrl}`;
  const pageUrl = `${window.location.origin}/registry/${id}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/registry">← Registry</Link>
      </p>
      {!wellFormed && (
        <section className="panel">
          <h1>Not a certificate id</h1>
          <p className="error" role="alert">
            A certificate id is 0x followed by 64 hexadecimal digits. Check the link, or <Link to="/registry">search the registry</Link>.
          </p>
        </section>
      )}
      {wellFormed && !view && !error && (
        <p role="status" className="busy">
          Loading the certificate…
        </p>
      )}
      <ErrorMessage error={error} />
      {view && (
        <article aria-labelledby="cert-heading" className="certificate-page" data-certificate={view.id}>
          <header className="card-head">
            <h1 id="cert-heading">
              {view.runtime.name} <span className="muted">{view.runtime.version}</span>
            </h1>
            <RegistryStatus status={view.status} reason={view.statusReason} />
          </header>
          <p className="badge-row">
            {badgeFailed ? (
              <span className="muted">The badge could not be loaded.</span>
            ) : (
              <img
                src={badgeUrl}
                alt={`Assay badge: ${view.runtime.name} ${view.runtime.version}, ${view.status}, ${view.claims.join(", ")}`}
                data-testid="badge"
                onError={() => setBadgeFailed(true)}
              />
            )}
          </p>
          <p className="notice">
            This page shows what the registry reports. <Link to={`/verify/${view.id}`}>Verify this certificate in your browser</Link> to check its signature, id and transparency-log entry yourself.
          </p>

          <h2>What is certified</h2>
          <ul className="claim-list" data-testid="claims-evidence">
            {view.claimsEvidence.map((c) => (
              <li key={c.srip} data-srip={c.srip} data-granted={String(c.granted)} className={c.granted ? "granted" : "withheld"}>
                <strong>{c.srip}</strong> <span className={c.granted ? "pass" : "fail"}>{c.granted ? "granted" : "not granted"}</span>
                <span className="srip-description">{sripDescription(c.srip)}</span>
                {c.granted ? (
                  <span className="muted small">
                    {c.grantedBy === "assembly" ? "Evidenced by the audit and granted by a validator assembly." : "Evidenced by the audit (no assembly)."}
                    {c.notedFindings === null
                      ? " The audit report is not held by this server."
                      : c.notedFindings.length === 0
                        ? " No findings noted."
                        : ` Noted (not blocking): ${c.notedFindings.map((f) => `${f.code} ×${f.count} (${f.severity})`).join(", ")}.`}
                  </span>
                ) : (
                  <span className="muted small">
                    {WITHHELD[c.reason] ?? c.reason}
                    {c.findings.length > 0 ? ` — ${c.findings.join(", ")}` : ""}
                  </span>
                )}
              </li>
            ))}
          </ul>

          <h2>Certificate</h2>
          <dl className="facts">
            <dt>Certificate id</dt>
            <dd>
              <code className="digest">{view.id}</code>
            </dd>
            <dt>Level</dt>
            <dd>{view.level === "assembly" ? "audit and validator assembly" : "audit only"}</dd>
            <dt>Audit suite</dt>
            <dd>
              {view.suite.id} {view.suite.version}
            </dd>
            <dt>Issued</dt>
            <dd>
              <time dateTime={view.issuedAt}>{humanTime(view.issuedAt)}</time>
            </dd>
            <dt>Valid until</dt>
            <dd>
              <time dateTime={view.validUntil}>{humanTime(view.validUntil)}</time>
            </dd>
            {view.supersedes && (
              <>
                <dt>Renews</dt>
                <dd>
                  <Link to={`/registry/${view.supersedes}`}>
                    <code className="digest">{view.supersedes}</code>
                  </Link>
                </dd>
              </>
            )}
            {view.supersededBy.length > 0 && (
              <>
                <dt>Renewed by</dt>
                <dd>
                  {view.supersededBy.map((s) => (
                    <Link key={s} to={`/registry/${s}`}>
                      <code className="digest">{s}</code>
                    </Link>
                  ))}
                </dd>
              </>
            )}
            <dt>Public flags</dt>
            <dd data-testid="flags">
              {view.flags.open + view.flags.dismissed + view.flags.suspended + view.flags.reauditOrdered === 0
                ? "none raised"
                : `${view.flags.open} open, ${view.flags.dismissed} dismissed, ${view.flags.suspended} led to suspension, ${view.flags.reauditOrdered} led to a re-audit`}
            </dd>
          </dl>

          <AssemblyPanel
            certificateId={view.id}
            expectedDigest={view.level === "assembly" ? recordDigest : null}
            digestSource="against the digest the certificate document names; its signature is checked on the verify page"
          />

          <h2>Embed the badge</h2>
          <p className="muted">The badge always shows the current status.</p>
          <label htmlFor="badge-markdown">Markdown</label>
          <textarea id="badge-markdown" readOnly rows={2} value={`[![Assay: ${view.runtime.name}](${absoluteBadge})](${pageUrl})`} />
        </article>
      )}
    </>
  );
}
