// A page of submissions as a table (shared by the developer portal and the operator console).
import type { SubmissionViewBody as SubmissionView } from "@assay/protocol";
import { formatTime, shortDigest } from "../format";
import { Link } from "../router";
import { StatusBadge } from "./StatusBadge";

export function SubmissionsTable({ items, caption, linkTo }: { items: SubmissionView[]; caption: string; linkTo?: (id: string) => string }) {
  if (items.length === 0) return <p>No submissions yet.</p>;
  return (
    <table className="submissions">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Submission</th>
          <th scope="col">Runtime</th>
          <th scope="col">Status</th>
          <th scope="col">Suite / seed</th>
          <th scope="col">Created</th>
          <th scope="col">Certificate</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.id} data-submission={s.id}>
            <th scope="row">{linkTo ? <Link to={linkTo(s.id)}>{shortDigest(s.id, 8)}</Link> : <code>{shortDigest(s.id, 8)}</code>}</th>
            <td>
              {s.runtime.name} <span className="muted">{s.runtime.version}</span>
            </td>
            <td>
              <StatusBadge status={s.status} />
              {s.outcome && <span className="muted"> {s.outcome.code}</span>}
            </td>
            <td>
              {s.suite} / {s.seed}
            </td>
            <td>{formatTime(s.createdAt)}</td>
            <td>{s.certificateId ? <Link to={`/verify/${s.certificateId}`}>{shortDigest(s.certificateId, 6)}</Link> : <span className="muted">–</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
