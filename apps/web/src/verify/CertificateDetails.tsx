// What the certificate states: subject, claims granted and not granted, audit, assembly, issuer,
// validity, and the server-reported status and anchor (labelled as such).
import { CERTIFICATE_FORMAT_V1, type CertificateDocument, type ClaimNotGrantedReason } from "@assay/protocol";
import { formatMetricValue, formatBps } from "../format";
import { chainLabel, humanTime, metricInfo, metricVerdict, sripDescription, thresholdText } from "./explain";
import type { ServerReportedState } from "./lookup";

export function CertificateDetails({ document, server }: { document: CertificateDocument; server: ServerReportedState }) {
  const { payload } = document;
  return (
    <section aria-labelledby="details-heading" className="details">
      <h2 id="details-heading">What this certificate states</h2>
      <dl className="facts">
        <dt>Certificate id</dt>
        <dd>
          <code className="digest">{document.id}</code>
        </dd>
        <dt>Subject</dt>
        <dd>
          {payload.subject.name} <strong>{payload.subject.version}</strong>
          <br />
          <span className="muted">subject digest </span>
          <code className="digest">{payload.subject.digest}</code>
        </dd>
        <dt>Claims granted</dt>
        <dd data-testid="claims-granted">
          <ul className="claims">
            {payload.claims.map((c) => (
              <li key={c}>
                <a href={`#srip-${c}`}>{c}</a>
              </li>
            ))}
          </ul>
          <span className="muted">conformance evidence for these SRIPs</span>
          <dl className="srip-descriptions">
            {payload.claims.map((c) => (
              <div key={c} id={`srip-${c}`}>
                <dt>{c}</dt>
                <dd>{sripDescription(c)}</dd>
              </div>
            ))}
          </dl>
        </dd>
        <dt>Claims not granted</dt>
        <dd data-testid="claims-not-granted">
          {payload.format === CERTIFICATE_FORMAT_V1 ? (
            <span className="muted">not recorded ({payload.format} certificates list only granted claims)</span>
          ) : payload.claimsNotGranted.length === 0 ? (
            <span className="muted">none: every claim asked for is granted</span>
          ) : (
            <ul className="claims-withheld">
              {payload.claimsNotGranted.map((c) => (
                <li key={c.srip} data-srip={c.srip} data-reason={c.reason}>
                  <strong>{c.srip}</strong> {WITHHELD_REASON[c.reason]}
                  {c.findings.length > 0 && (
                    <>
                      {" "}
                      <span className="muted">findings</span> {c.findings.map((f, i) => [i > 0 ? ", " : "", <code key={f}>{f}</code>])}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Verdict and level</dt>
        <dd>
          {payload.verdict}, level {payload.level}
        </dd>
        <dt>Issuer</dt>
        <dd>
          {payload.issuer.id} <span className="muted">key id</span> <code className="digest">{payload.issuer.kid}</code>
        </dd>
        <dt>Valid</dt>
        <dd>
          from <time dateTime={payload.issuedAt}>{humanTime(payload.issuedAt)}</time> until <time dateTime={payload.validUntil}>{humanTime(payload.validUntil)}</time>
        </dd>
        <dt>Status (server-reported)</dt>
        <dd data-testid="server-status">{server.statusLabel}</dd>
        <dt>Chain anchor (server-reported)</dt>
        <dd data-testid="anchor-state">{anchorLabel(server)}</dd>
        {server.proof && (
          <>
            <dt>Merkle batch</dt>
            <dd data-testid="anchor-proof">
              root <code className="digest">{server.proof.root}</code>, proof of {server.proof.proof.length} node{server.proof.proof.length === 1 ? "" : "s"}
              {server.proof.registry ? (
                <>
                  {" "}on registry <code className="digest">{server.proof.registry}</code>
                  {server.proof.chainId !== null ? <span data-testid="chain-label"> ({chainLabel(server.proof.chainId)})</span> : ""}
                </>
              ) : null}
              ; checked on chain by the server, by this browser when it can reach the chain (the "Chain anchor" check above), and by <code>assay verify</code>
            </dd>
          </>
        )}
        {payload.supersedes && (
          <>
            <dt>Supersedes</dt>
            <dd>
              <code className="digest">{payload.supersedes}</code>
            </dd>
          </>
        )}
      </dl>

      <h3>Audit</h3>
      <dl className="facts">
        <dt>Suite</dt>
        <dd>
          {payload.audit.suite.id} {payload.audit.suite.version}
        </dd>
        <dt>Seed</dt>
        <dd>{payload.audit.seed}</dd>
        <dt>Engine</dt>
        <dd>
          {payload.audit.engine.name} {payload.audit.engine.version}
        </dd>
        <dt>Critical findings</dt>
        <dd>{payload.audit.criticalFindings}</dd>
        <dt>Findings digest</dt>
        <dd>
          <code className="digest">{payload.audit.findingsDigest}</code>
        </dd>
        <dt>Report digest</dt>
        <dd>
          <code className="digest">{payload.audit.reportDigest}</code>
        </dd>
      </dl>
      {payload.audit.metrics.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Metrics" tabIndex={0}>
          <table className="metrics stack-on-mobile">
            <caption>What the audit measured: each metric, its reference threshold and whether the value meets it</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Value</th>
                <th scope="col">Threshold</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {payload.audit.metrics.map((m) => {
                const info = metricInfo(m.id);
                const verdict = metricVerdict(m.id, m.value);
                return (
                  <tr key={m.id} data-metric={m.id} data-result={verdict}>
                    <th scope="row">
                      {info.name}
                      <span className="metric-description">{info.description}</span>
                      <span className="check-name">{m.id}</span>
                    </th>
                    <td className="num" data-label="Value">
                      {formatMetricValue(m.value, m.unit)}
                      {m.validity !== "valid" && <span className={`validity-${m.validity} small`}> ({m.validity})</span>}
                    </td>
                    <td data-label="Threshold">{thresholdText(m.id, m.unit)}</td>
                    <td data-label="Result">
                      <span className={verdict === "pass" ? "pass" : verdict === "fail" ? "fail" : "muted"}>
                        {verdict === "pass" ? "✓ pass" : verdict === "fail" ? "✗ outside" : verdict === "unmeasured" ? "not measured" : "for information"}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {payload.assembly && (
        <>
          <h3>Validator assembly</h3>
          <dl className="facts">
            <dt>Record digest</dt>
            <dd>
              <code className="digest">{payload.assembly.recordDigest}</code>
            </dd>
            <dt>Rounds / seats</dt>
            <dd>
              {payload.assembly.rounds} round{payload.assembly.rounds === 1 ? "" : "s"}, {payload.assembly.seats} seats in the deciding round
            </dd>
            <dt>Tally</dt>
            <dd>
              {payload.assembly.tally.verdict}: {formatBps(payload.assembly.tally.certifyWeightBps, 2)} of revealed weight, participation{" "}
              {formatBps(payload.assembly.tally.participationBps, 2)}, stability score {formatBps(payload.assembly.tally.stabilityScoreBps)}
            </dd>
            <dt>In words</dt>
            <dd data-testid="assembly-words">
              {payload.assembly.seats} pseudonymous validators were seated in the deciding round ({payload.assembly.rounds === 1 ? "one round" : `${payload.assembly.rounds} rounds`});{" "}
              {Math.round(payload.assembly.tally.participationBps / 100)} % of the seated stake weight revealed a vote, and{" "}
              {Math.round(payload.assembly.tally.certifyWeightBps / 100)} % of that weight voted to certify. Each validator's vote and weight is in the
              assembly record whose digest is above; it is replayable by anyone who holds it.
            </dd>
          </dl>
        </>
      )}
    </section>
  );
}

const WITHHELD_REASON: Record<ClaimNotGrantedReason, string> = {
  "not-evidenced": "not evidenced: the audit found major or critical findings against it",
  "not-tested": "not tested: the audit suite has no scenario for it",
  "denied-by-assembly": "denied by the validator assembly",
};

function anchorLabel(server: ServerReportedState): string {
  const a = server.anchor;
  switch (a.state) {
    case "not-anchored":
      return "not anchored";
    case "pending":
      return a.tx ? `pending (tx ${a.tx})` : "pending";
    case "anchored":
      return `anchored in block ${a.block}, tx ${a.tx}`;
    case "revoked-on-chain":
      return a.reason ? `revoked on chain (${a.reason})` : "revoked on chain";
    case "failed":
      return a.error ? `anchor not confirmed (${a.error})` : "anchor not confirmed";
  }
}
