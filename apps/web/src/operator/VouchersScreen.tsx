// Vouchers: list (prefix, amount, uses; never the code), create (the code is
// shown this once), revoke (confirmed; redemptions already made stay).
import { VoucherInputSchema } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView } from "../ui/useResource";
import { firstIssue, localToIso } from "./form-values";

type Voucher = Awaited<ReturnType<typeof operatorConsoleApi.vouchers>>["vouchers"][number];
const stateOf = (v: Voucher) => (v.revokedAt ? "revoked" : Date.parse(v.expiresAt) <= Date.now() ? "expired" : v.usedCount >= v.maxUses ? "used up" : "open");

export function VouchersScreen({ credential }: { credential: Credential }) {
  // Pages from the API (decision 0032).
  const { resource: list, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.vouchers(credential, page);
      return { rows: answer.vouchers, nextCursor: answer.nextCursor };
    },
    [credential],
    10,
  );
  const action = useConfirmedAction(() => list.reload());
  return (
    <>
      {action.outcome}
      <ResourceView resource={list} what="vouchers">
        {(data) => (
          <DataTable
            caption="Vouchers, newest first"
            server={paging}
            rows={data.rows}
            rowKey={(v) => v.id}
            empty="No voucher yet. Create one below."
            columns={[
              { header: "Prefix", rowHeader: true, cell: (v) => <code>{v.prefix}</code>, text: (v) => v.prefix },
              { header: "Credits", numeric: true, cell: (v) => v.amount },
              { header: "Used", numeric: true, cell: (v) => `${v.usedCount} / ${v.maxUses}` },
              { header: "State", cell: stateOf, text: stateOf },
              { header: "Expires", cell: (v) => formatTime(v.expiresAt) },
              { header: "Created", cell: (v) => formatTime(v.createdAt) },
              {
                header: "Action",
                cell: (v) =>
                  stateOf(v) === "open" ? (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Revoke voucher ${v.prefix}`}
                      onClick={() =>
                        action.ask({
                          title: `Revoke voucher ${v.prefix}?`,
                          message: <p>Nobody can redeem it any more; credits already redeemed stay. This cannot be undone.</p>,
                          confirmLabel: "Revoke voucher",
                          failure: "Voucher not revoked",
                          run: async () => {
                            const revoked = await operatorConsoleApi.revokeVoucher(credential, v.id);
                            return `Voucher ${revoked.prefix} revoked at ${formatTime(revoked.revokedAt)}.`;
                          },
                        })
                      }
                    >
                      Revoke
                    </button>
                  ) : (
                    "–"
                  ),
              },
            ]}
          />
        )}
      </ResourceView>
      <VoucherForm credential={credential} onCreated={list.reload} />
      {action.dialog}
    </>
  );
}

function VoucherForm({ credential, onCreated }: { credential: Credential; onCreated: () => void }) {
  const id = useId();
  const [amount, setAmount] = useState("");
  const [maxUses, setMaxUses] = useState("1");
  const [expiresAt, setExpiresAt] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCode(null);
    const parsed = VoucherInputSchema.safeParse({ amount: Number(amount), maxUses: Number(maxUses), expiresAt: localToIso(expiresAt) });
    if (!parsed.success) return setError(new Error(firstIssue(parsed.error)));
    setBusy(true);
    setError(null);
    try {
      const created = await operatorConsoleApi.createVoucher(credential, parsed.data);
      setCode(created.code);
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="operator-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New voucher</h3>
      <label htmlFor={`${id}-amount`}>Credits</label>
      <input id={`${id}-amount`} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
      <label htmlFor={`${id}-uses`}>Developers who may redeem it</label>
      <input id={`${id}-uses`} inputMode="numeric" value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
      <label htmlFor={`${id}-expires`}>Expires</label>
      <input id={`${id}-expires`} type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create voucher"}
        </button>
      </div>
      <ErrorNotice error={error} context="Voucher not created" />
      {code && (
        <div role="status" className="ok secret-once">
          <p>Voucher created. Copy the code now: it is shown only this once.</p>
          <code data-testid="voucher-code">{code}</code>
        </div>
      )}
    </form>
  );
}
