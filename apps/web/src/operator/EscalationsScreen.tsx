// The escalation queue: assemblies waiting for an operator's decision; resolve
// one (certify with an audit-only certificate, or reject) after confirming.
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime, shortDigest } from "../format";
import { DataTable } from "../ui/DataTable";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView } from "../ui/useResource";
import { ErrorNotice } from "../ui/ErrorNotice";

type Escalation = Awaited<ReturnType<typeof operatorConsoleApi.escalations>>["assemblies"][number];

function reasonOf(outcome: unknown): string {
  const reason = typeof outcome === "object" && outcome !== null ? (outcome as { reason?: unknown }).reason : null;
  return typeof reason === "string" ? reason.replace(/_/g, " ") : "–";
}

export function EscalationsScreen({ credential }: { credential: Credential }) {
  // The API filters (escalated and still waiting) and pages (decision 0032).
  const { resource: list, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.escalations(credential, page);
      return { rows: answer.assemblies, nextCursor: answer.nextCursor };
    },
    [credential],
    10,
  );
  const [selected, setSelected] = useState<Escalation | null>(null);
  const action = useConfirmedAction(() => {
    setSelected(null);
    list.reload();
  });
  return (
    <>
      <p className="muted">Assemblies that reached no decision (too many rounds or a critical veto) wait here for an operator.</p>
      {action.outcome}
      <ResourceView resource={list} what="the escalation queue">
        {(data) => {
          return (
            <DataTable
              caption="Escalated assemblies"
              server={paging}
              rows={data.rows}
              rowKey={(a) => a.id}
              rowProps={(a) => ({ "data-assembly": a.id })}
              empty="No assembly is waiting for a decision. New escalations appear here when an assembly cannot decide."
              columns={[
                { header: "Assembly", rowHeader: true, cell: (a) => <code title={a.id}>{a.id.slice(0, 8)}</code>, text: (a) => a.id },
                { header: "Submission", cell: (a) => <code title={a.submissionId}>{a.submissionId.slice(0, 8)}</code>, text: (a) => a.submissionId },
                { header: "Why", cell: (a) => reasonOf(a.outcome), text: (a) => reasonOf(a.outcome) },
                { header: "Round", numeric: true, cell: (a) => a.round },
                { header: "Closed", cell: (a) => formatTime(a.phaseEndsAt), text: (a) => a.phaseEndsAt },
                { header: "Record", cell: (a) => (a.recordDigest ? <code>{shortDigest(a.recordDigest)}</code> : "–") },
                {
                  header: "Action",
                  cell: (a) => (
                    <button type="button" className="secondary" onClick={() => setSelected(a)} aria-label={`Resolve assembly ${a.id.slice(0, 8)}`}>
                      Resolve
                    </button>
                  ),
                },
              ]}
            />
          );
        }}
      </ResourceView>
      {selected && <ResolveForm key={selected.id} escalation={selected} credential={credential} ask={action.ask} onCancel={() => setSelected(null)} />}
      {action.dialog}
    </>
  );
}

function ResolveForm({
  escalation,
  credential,
  ask,
  onCancel,
}: {
  escalation: Escalation;
  credential: Credential;
  ask: ReturnType<typeof useConfirmedAction>["ask"];
  onCancel: () => void;
}) {
  const id = useId();
  const [decision, setDecision] = useState<"certify" | "reject">("reject");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === "") return setError(new Error("Write the reason for the decision; it is kept in the audit log."));
    setError(null);
    ask({
      title: decision === "certify" ? "Certify this submission?" : "Reject this submission?",
      message: (
        <p>
          Assembly <code>{escalation.id.slice(0, 8)}</code>:{" "}
          {decision === "certify" ? "an audit-only certificate is issued for the submission." : "the submission is rejected."} This cannot be undone.
        </p>
      ),
      confirmLabel: decision === "certify" ? "Certify" : "Reject",
      failure: "Escalation not resolved",
      run: async () => {
        const result = await operatorConsoleApi.resolveEscalation(credential, escalation.id, { decision, reason: reason.trim() });
        return `Assembly ${escalation.id.slice(0, 8)} resolved: the submission is ${result.status}${result.certificateId ? ` (certificate ${result.certificateId.slice(0, 12)}…)` : ""}.`;
      },
    });
  };
  return (
    <form className="operator-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Resolve assembly {escalation.id.slice(0, 8)}</h3>
      <fieldset>
        <legend>Decision</legend>
        <label className="inline">
          <input type="radio" name={`${id}-decision`} value="reject" checked={decision === "reject"} onChange={() => setDecision("reject")} /> Reject the submission
        </label>
        <label className="inline">
          <input type="radio" name={`${id}-decision`} value="certify" checked={decision === "certify"} onChange={() => setDecision("certify")} /> Certify (audit-only certificate)
        </label>
      </fieldset>
      <label htmlFor={`${id}-reason`}>Reason (kept in the audit log)</label>
      <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} />
      <div className="row">
        <button type="submit">Resolve…</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} context="Not sent" />
    </form>
  );
}
