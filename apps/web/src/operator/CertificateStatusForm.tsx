// Suspend, reinstate, revoke (with a reason code) or expire a certificate
// (POST /v1/operator/certificates/:id/status; the API allows it to admins).
import { DIGEST_PATTERN } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorApi, type Credential } from "../api/client";
import { Link } from "../router";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";

const STATUSES = ["suspended", "revoked", "expired", "active"] as const;
const REASON_CODE = /^[a-z][a-z0-9_]{0,63}$/;

export function CertificateStatusForm({ credential }: { credential: Credential }) {
  const id = useId();
  const [certificateId, setCertificateId] = useState("");
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("suspended");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ id: string; state: string; reason: string | null } | null>(null);
  const action = useConfirmedAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const target = certificateId.trim().toLowerCase();
    if (!DIGEST_PATTERN.test(target)) return setError(new Error("A certificate id is 0x followed by 64 hexadecimal digits."));
    if (reason !== "" && !REASON_CODE.test(reason)) return setError(new Error("A reason code is lower-case snake_case, e.g. key_compromise."));
    if (status === "revoked" && reason === "") return setError(new Error("Revoking a certificate needs a reason code."));
    setError(null);
    action.ask({
      title: status === "active" ? "Reinstate this certificate?" : `Mark this certificate ${status}?`,
      message: (
        <p>
          Certificate <code className="digest">{target}</code> becomes {status}
          {reason ? ` (${reason})` : ""}. Verifiers see the new status at once{status === "revoked" ? "; a revocation cannot be undone" : ""}.
        </p>
      ),
      confirmLabel: status === "active" ? "Reinstate" : `Mark ${status}`,
      failure: "Status not changed",
      run: async () => {
        const result = await operatorApi.certificateStatus(credential, target, { status, ...(reason ? { reasonCode: reason } : {}) });
        setDone({ id: target, state: result.state, reason: result.reason });
        return `Certificate is now ${result.state}${result.reason ? ` (${result.reason})` : ""}.`;
      },
    });
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Certificate status</h3>
      <form onSubmit={(e) => void submit(e)} className="operator-form" noValidate>
        <label htmlFor={`${id}-cert`}>Certificate id</label>
        <input id={`${id}-cert`} value={certificateId} onChange={(e) => setCertificateId(e.target.value)} placeholder="0x…" spellCheck={false} />
        <label htmlFor={`${id}-status`}>New status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === "active" ? "active (reinstate)" : s}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-reason`}>Reason code {status === "revoked" ? "(required)" : "(optional)"}</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="key_compromise" spellCheck={false} />
        <div className="row">
          <button type="submit">Change status…</button>
        </div>
        <ErrorNotice error={error} context="Not sent" />
      </form>
      {action.outcome}
      {done && (
        <p>
          <Link to={`/verify/${done.id}`}>Verify it</Link>
        </p>
      )}
      {action.dialog}
    </section>
  );
}
