import type { Finding } from "@assay/protocol";

const ORDER = { critical: 0, major: 1, minor: 2, info: 3 } as const;

export function FindingsTable({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p>The audit reported no findings.</p>;
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.scenario.localeCompare(b.scenario) || (a.turn ?? 0) - (b.turn ?? 0));
  return (
    <table className="findings">
      <caption>Findings ({findings.length})</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Code</th>
          <th scope="col">Scenario</th>
          <th scope="col">Turn</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((f, i) => (
          <tr key={`${f.code}-${f.scenario}-${f.turn ?? "-"}-${i}`}>
            <td>
              <span className={`severity severity-${f.severity}`}>{f.severity}</span>
            </td>
            <td>
              <code>{f.code}</code>
            </td>
            <td>{f.scenario}</td>
            <td className="num">{f.turn ?? "–"}</td>
            <td>{f.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
