// Every verification check on its own row: this browser's outcome and detail
// beside the server's (POST /v1/public/verify), disagreements marked.
import type { CertificateVerifyResult } from "@assay/protocol";
import { readableError } from "../api/errors";
import type { Disagreement } from "./verification";

const CHECK_LABELS: Record<string, string> = {
  schema: "Document format",
  id: "Id = SHA-256 of the payload",
  "jws-payload": "Signed bytes = payload",
  signature: "Issuer signature",
  issuer: "Issuer trusted",
  "time-window": "Validity window",
  status: "Status (server-reported)",
  anchor: "Chain anchor (server-reported)",
  artifact: "Local artifact",
};

export function CheckTable({
  browser,
  server,
  serverError,
  disagreements,
}: {
  browser: CertificateVerifyResult;
  server: CertificateVerifyResult | null;
  serverError: unknown;
  disagreements: Disagreement[];
}) {
  const serverByName = new Map(server?.checks.map((c) => [c.name, c]) ?? []);
  const disputed = new Set(disagreements.map((d) => d.name));
  return (
    <table className="checks">
      <caption>Checks — computed in this browser, with the server's own answer beside them</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">This browser</th>
          <th scope="col">Detail</th>
          <th scope="col">Server</th>
        </tr>
      </thead>
      <tbody>
        {browser.checks.map((check) => {
          const theirs = serverByName.get(check.name);
          return (
            <tr key={check.name} data-check={check.name} data-ok={String(check.ok)} className={disputed.has(check.name) ? "disputed" : undefined}>
              <th scope="row">
                {CHECK_LABELS[check.name] ?? check.name}
                <span className="check-name">{check.name}</span>
              </th>
              <td>
                <Outcome ok={check.ok} />
              </td>
              <td className="detail">{check.detail}</td>
              <td data-server-ok={theirs ? String(theirs.ok) : "none"}>
                {theirs ? (
                  <>
                    <Outcome ok={theirs.ok} />
                    {disputed.has(check.name) && <strong className="disagree"> disagrees</strong>}
                    {theirs.detail !== check.detail && <span className="server-detail">{theirs.detail}</span>}
                  </>
                ) : serverError ? (
                  <span className="muted">unavailable</span>
                ) : (
                  <span className="muted">not reported</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
      {serverError !== null && serverError !== undefined && (
        <tfoot>
          <tr>
            <td colSpan={4} className="error">
              The server's verification could not be fetched: {readableError(serverError)}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function Outcome({ ok }: { ok: boolean }) {
  return <span className={ok ? "ok" : "fail"}>{ok ? "✓ pass" : "✗ fail"}</span>;
}
