// The hash-chained audit log: operator actions, newest first, and the chain's
// verification (every row's hash recomputed on the server, prev_hash followed):
// intact with its head hash, or the first row that was tampered with.
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { ResourceView, useResource } from "../ui/useResource";

const json = (v: unknown) => (v === null || v === undefined ? "–" : JSON.stringify(v));
const REASONS = { hash_mismatch: "its content no longer matches its hash (edited)", prev_hash_mismatch: "it does not follow the row before it", seq_gap: "a row before it is missing (deleted)" };

export function AuditLogScreen({ credential }: { credential: Credential }) {
  const verification = useResource(() => operatorConsoleApi.verifyAuditLog(credential), [credential]);
  const log = useResource(() => operatorConsoleApi.auditLog(credential), [credential]);
  return (
    <>
      <div className="row spread wrap">
        <h3>Chain verification</h3>
        <button type="button" className="secondary" onClick={verification.reload}>
          Verify again
        </button>
      </div>
      <ResourceView resource={verification} what="the chain verification">
        {(v) =>
          v.ok ? (
            <div className="verdict valid" data-audit-verified="true" role="status">
              <p>
                <strong>The audit log is intact.</strong> All {v.entries} entries chain correctly.
              </p>
              <p className="digest">
                Head hash: <code>{v.head || "(empty log)"}</code>
              </p>
            </div>
          ) : (
            <div className="verdict invalid" data-audit-verified="false" role="alert">
              <p>
                <strong>The audit log is broken</strong> at entry {v.firstBroken.seq} (<code>{v.firstBroken.id}</code>): {REASONS[v.firstBroken.reason]}.
              </p>
              <p>Someone changed the database outside the platform. Keep a copy of the database and report it to the security contact.</p>
            </div>
          )
        }
      </ResourceView>
      <ResourceView resource={log} what="the audit log">
        {(data) => (
          <DataTable
            caption="Operator actions, newest first (latest 200)"
            rows={data.entries}
            rowKey={(e) => e.id}
            rowProps={(e) => ({ "data-action": e.action })}
            empty="No operator action recorded yet."
            columns={[
              { header: "When", rowHeader: true, cell: (e) => formatTime(e.createdAt), text: (e) => e.createdAt },
              { header: "Actor", cell: (e) => e.actor, text: (e) => e.actor },
              { header: "Action", cell: (e) => <code>{e.action}</code>, text: (e) => e.action },
              { header: "Target", cell: (e) => <span className="digest">{e.target}</span>, text: (e) => e.target },
              { header: "Before", cell: (e) => <code className="json-cell">{json(e.before)}</code>, text: (e) => json(e.before) },
              { header: "After", cell: (e) => <code className="json-cell">{json(e.after)}</code>, text: (e) => json(e.after) },
            ]}
          />
        )}
      </ResourceView>
    </>
  );
}
