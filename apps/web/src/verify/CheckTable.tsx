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
  status: "Status",
  anchor: "Chain anchor",
  artifact: "Local artifact",
};

/**
 * Where this browser's outcome for a check comes from: computed here from the
 * document and the published keys; taken from what the server reports (status,
 * and the anchor unless the browser read the chain itself); or not performed
 * (no local artifact was given).
 */
export type Provenance = "computed" | "server-reported" | "not-performed";

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  computed: "computed in this browser",
  "server-reported": "as reported by the server",
  "not-performed": "not performed",
};

export function provenanceOf(name: string, options: { artifactGiven: boolean; anchorReadFromChain: boolean }): Provenance {
  if (name === "status") return "server-reported";
  if (name === "anchor") return options.anchorReadFromChain ? "computed" : "server-reported";
  if (name === "artifact") return options.artifactGiven ? "computed" : "not-performed";
  return "computed";
}

export function CheckTable({
  browser,
  server,
  serverError,
  disagreements,
  artifactGiven = false,
  anchorReadFromChain = false,
}: {
  browser: CertificateVerifyResult;
  server: CertificateVerifyResult | null;
  serverError: unknown;
  disagreements: Disagreement[];
  artifactGiven?: boolean;
  anchorReadFromChain?: boolean;
}) {
  const serverByName = new Map(server?.checks.map((c) => [c.name, c]) ?? []);
  const disputed = new Set(disagreements.map((d) => d.name));
  return (
    <div className="table-scroll" role="region" aria-label="Checks" tabIndex={0}>
    <table className="checks">
      <caption>Checks — what this browser computed, what it took from the server, and the server's own answer beside them</caption>
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
          const provenance = provenanceOf(check.name, { artifactGiven, anchorReadFromChain });
          return (
            <tr key={check.name} data-check={check.name} data-ok={String(check.ok)} data-provenance={provenance} className={disputed.has(check.name) ? "disputed" : undefined}>
              <th scope="row">
                {CHECK_LABELS[check.name] ?? check.name}
                <span className="check-name">{check.name}</span>
              </th>
              <td>
                {provenance === "not-performed" ? <span className="skipped">– not performed</span> : <Outcome ok={check.ok} />}
                <span className={`provenance provenance-${provenance}`}>{PROVENANCE_LABEL[provenance]}</span>
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
    </div>
  );
}

export function Outcome({ ok }: { ok: boolean }) {
  return <span className={ok ? "ok" : "fail"}>{ok ? "✓ pass" : "✗ fail"}</span>;
}
