// Validators: the admission queue (pending) and every standing; approve a
// pending validator with a stake, suspend, reinstate or slash — each confirmed.
import { StakeAmountText, VALIDATOR_STANDINGS } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatBps, formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView } from "../ui/useResource";

type Validator = Awaited<ReturnType<typeof operatorConsoleApi.validators>>["validators"][number];
const PAGE_SIZE = 10;
type Act = "approve" | "suspend" | "reinstate" | "slash";

const ACTIONS_FOR: Record<string, Act[]> = {
  pending: ["approve", "suspend"],
  active: ["suspend", "slash"],
  probation: ["suspend", "slash"],
  suspended: ["reinstate", "slash"],
};
const LABEL: Record<Act, string> = { approve: "Approve", suspend: "Suspend", reinstate: "Reinstate", slash: "Slash" };

export function ValidatorsScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const [standing, setStanding] = useState<string>("pending");
  // Filters and pages are the API's (decision 0032): standing and the search text go to the server.
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const { resource: list, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.validators(credential, standing || undefined, { ...page, q: q || undefined });
      return { rows: answer.validators, nextCursor: answer.nextCursor };
    },
    [credential, standing, q],
    PAGE_SIZE,
  );
  const [selected, setSelected] = useState<{ validator: Validator; act: Act } | null>(null);
  const action = useConfirmedAction(() => {
    setSelected(null);
    list.reload();
  });
  const name = (v: Validator) => v.name ?? v.publicKey.slice(0, 10);
  return (
    <>
      <div className="operator-filters">
        <label htmlFor={`${id}-standing`}>Standing</label>
        <select id={`${id}-standing`} value={standing} onChange={(e) => setStanding(e.target.value)}>
          <option value="">all</option>
          {VALIDATOR_STANDINGS.map((s) => (
            <option key={s} value={s}>
              {s === "pending" ? "pending approval" : s}
            </option>
          ))}
        </select>
        <form
          className="row"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(search.trim());
          }}
        >
          <label htmlFor={`${id}-q`}>Name, id or public key</label>
          <input id={`${id}-q`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit" className="secondary">
            Search
          </button>
        </form>
      </div>
      {action.outcome}
      <ResourceView resource={list} what="validators">
        {(data) => (
          <DataTable
            caption={standing === "pending" ? "Validators waiting for approval" : "Validators"}
            server={paging}
            rows={data.rows}
            rowKey={(v) => v.id}
            rowProps={(v) => ({ "data-validator": v.id, "data-standing": v.standing })}
            empty={
              q
                ? `No validator matches “${q}”${standing ? ` with standing ${standing}` : ""}.`
                : standing === "pending"
                  ? "No validator is waiting for approval."
                  : "No validator has this standing. Choose another standing above."
            }
            columns={[
              { header: "Validator", rowHeader: true, cell: (v) => name(v), text: (v) => `${name(v)} ${v.id} ${v.publicKey}` },
              { header: "Kind", cell: (v) => `${v.kind}${v.modelFamily ? ` (${v.modelFamily})` : ""}`, text: (v) => `${v.kind} ${v.modelFamily ?? ""}` },
              { header: "Standing", cell: (v) => <span className={`status status-${v.standing}`}>{v.standing}</span>, text: (v) => v.standing },
              { header: "Stake", numeric: true, cell: (v) => v.stake },
              { header: "Declared", numeric: true, cell: (v) => v.declaredStake },
              { header: "Reputation", numeric: true, cell: (v) => formatBps(v.reputationBps) },
              { header: "Since", cell: (v) => formatTime(v.createdAt), text: (v) => v.createdAt },
              {
                header: "Actions",
                cell: (v) => (
                  <div className="row wrap">
                    {(ACTIONS_FOR[v.standing] ?? []).map((act) => (
                      <button key={act} type="button" className="secondary" onClick={() => setSelected({ validator: v, act })} aria-label={`${LABEL[act]} ${name(v)}`}>
                        {LABEL[act]}
                      </button>
                    ))}
                  </div>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
      {selected && (
        <ValidatorActionForm
          key={`${selected.validator.id}-${selected.act}`}
          validator={selected.validator}
          act={selected.act}
          credential={credential}
          ask={action.ask}
          onCancel={() => setSelected(null)}
          name={name(selected.validator)}
        />
      )}
      {action.dialog}
    </>
  );
}

function ValidatorActionForm({
  validator,
  act,
  credential,
  ask,
  onCancel,
  name,
}: {
  validator: Validator;
  act: Act;
  credential: Credential;
  ask: ReturnType<typeof useConfirmedAction>["ask"];
  onCancel: () => void;
  name: string;
}) {
  const id = useId();
  const needsAmount = act === "approve" || act === "slash";
  const reasonRequired = act === "suspend" || act === "slash";
  const [amount, setAmount] = useState(act === "approve" ? validator.declaredStake : "");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (needsAmount && !StakeAmountText.safeParse(amount.trim()).success) return setError(new Error("The stake is a whole number above 0 (below 10^18)."));
    if (reasonRequired && reason.trim() === "") return setError(new Error(`Write why you ${act} this validator; it is kept in the audit log.`));
    setError(null);
    const r = reason.trim() === "" ? undefined : reason.trim();
    const run = async () => {
      const c = credential;
      const result =
        act === "approve"
          ? await operatorConsoleApi.approveValidator(c, validator.id, { stake: amount.trim(), ...(r ? { reason: r } : {}) })
          : act === "suspend"
            ? await operatorConsoleApi.suspendValidator(c, validator.id, { reason: r! })
            : act === "reinstate"
              ? await operatorConsoleApi.reinstateValidator(c, validator.id, r ? { reason: r } : {})
              : await operatorConsoleApi.slashValidator(c, validator.id, { amount: amount.trim(), reason: r! });
      const extra = result.voidedSeats !== undefined ? `; ${result.voidedSeats} open seat(s) voided and re-drawn` : result.chainMirror === "queued" ? "; the slash is queued for the chain" : "";
      return `${LABEL[act]}: ${name} is now ${result.validator.standing} with stake ${result.validator.stake}${extra}.`;
    };
    ask({
      title: `${LABEL[act]} ${name}?`,
      message:
        act === "approve" ? (
          <p>The validator joins the draw with a stake of {amount.trim()}.</p>
        ) : act === "suspend" ? (
          <p>The validator is no longer drawn; its open seats are voided and re-drawn.</p>
        ) : act === "reinstate" ? (
          <p>The validator returns to its standing before the suspension.</p>
        ) : (
          <p>
            {amount.trim()} stake is taken from the validator (mirrored on chain when it stakes there). This cannot be undone.
          </p>
        ),
      confirmLabel: LABEL[act],
      failure: `${LABEL[act]} failed`,
      run,
    });
  };
  return (
    <form className="operator-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {LABEL[act]} {name}
      </h3>
      {needsAmount && (
        <>
          <label htmlFor={`${id}-amount`}>{act === "approve" ? "Stake the draw weighs" : "Stake to slash"}</label>
          <input id={`${id}-amount`} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </>
      )}
      <label htmlFor={`${id}-reason`}>Reason {reasonRequired ? "(required)" : "(optional)"}</label>
      <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      <div className="row">
        <button type="submit">{LABEL[act]}…</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} context="Not sent" />
    </form>
  );
}
