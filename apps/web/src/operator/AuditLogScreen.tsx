// The hash-chained audit log: operator actions, newest first, and the chain's
// verification (every row's hash recomputed on the server, prev_hash followed):
// intact with its head hash, or the first row that was tampered with.
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView, useResource } from "../ui/useResource";

type Filters = { action: string; actor: string; target: string };
const NO_FILTERS: Filters = { action: "", actor: "", target: "" };

const json = (v: unknown) => (v === null || v === undefined ? "–" : JSON.stringify(v));
const REASONS = { hash_mismatch: "its content no longer matches its hash (edited)", prev_hash_mismatch: "it does not follow the row before it", seq_gap: "a row before it is missing (deleted)" };

export function AuditLogScreen({ credential }: { credential: Credential }) {
  const verification = useResource(() => operatorConsoleApi.verifyAuditLog(credential), [credential]);
  const id = useId();
  // The filters the API applies (exact matches), and the draft in the form until "Apply".
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const { resource: log, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.auditLog(credential, { ...page, action: filters.action || undefined, actor: filters.actor || undefined, target: filters.target || undefined });
      return { rows: answer.entries, nextCursor: answer.nextCursor };
    },
    [credential, filters.action, filters.actor, filters.target],
    25,
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ action: draft.action.trim(), actor: draft.actor.trim(), target: draft.target.trim() });
  };
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
      <form className="operator-filters" onSubmit={apply} aria-label="Filter the audit log">
        {(["action", "actor", "target"] as const).map((field) => (
          <div key={field}>
            <label htmlFor={`${id}-${field}`}>{field === "action" ? "Action (exact, e.g. flag.set)" : field === "actor" ? "Actor (exact)" : "Target (exact)"}</label>
            <input id={`${id}-${field}`} value={draft[field]} onChange={(e) => setDraft({ ...draft, [field]: e.target.value })} />
          </div>
        ))}
        <button type="submit" className="secondary">
          Apply filters
        </button>
        {(filters.action || filters.actor || filters.target) && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <ResourceView resource={log} what="the audit log">
        {(data) => (
          <DataTable
            caption="Operator actions, newest first"
            server={paging}
            rows={data.rows}
            rowKey={(e) => e.id}
            rowProps={(e) => ({ "data-action": e.action })}
            empty={filters.action || filters.actor || filters.target ? "No operator action matches these filters." : "No operator action recorded yet."}
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
