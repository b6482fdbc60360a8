import type { ClaimResult } from "@assay/protocol";

/** Per-claim conformance of the report: what the audit evidences of each SRIP the manifest claims. */
export function ClaimsTable({ claims }: { claims: ClaimResult[] }) {
  const evidenced = claims.filter((c) => c.status === "evidenced").length;
  return (
    <table className="claims">
      <caption>
        Claims ({evidenced} of {claims.length} evidenced)
      </caption>
      <thead>
        <tr>
          <th scope="col">SRIP</th>
          <th scope="col">Status</th>
          <th scope="col">Withheld by</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.srip}>
            <th scope="row">{c.srip}</th>
            <td className={`claim-${c.status}`}>{c.status}</td>
            <td>{c.findings.length === 0 ? "–" : c.findings.map((code) => <code key={code}>{code} </code>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
