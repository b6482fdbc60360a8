// Campaigns: time-boxed discounts with their counters; create one, end one now (confirmed).
import { CampaignInputSchema } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView } from "../ui/useResource";
import { firstIssue, localToIso } from "./form-values";

type Campaign = Awaited<ReturnType<typeof operatorConsoleApi.campaigns>>["campaigns"][number];

const discountText = (c: Campaign) => (c.discount.kind === "percent" ? `${c.discount.bps / 100}% off` : `${c.discount.credits} credits off`);
const stateOf = (c: Campaign) => (c.disabledAt ? "ended early" : Date.parse(c.endsAt) <= Date.now() ? "over" : Date.parse(c.startsAt) > Date.now() ? "scheduled" : "running");

export function CampaignsScreen({ credential }: { credential: Credential }) {
  // Pages from the API (decision 0032).
  const { resource: list, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.campaigns(credential, page);
      return { rows: answer.campaigns, nextCursor: answer.nextCursor };
    },
    [credential],
    10,
  );
  const action = useConfirmedAction(() => list.reload());
  return (
    <>
      {action.outcome}
      <ResourceView resource={list} what="campaigns">
        {(data) => (
          <DataTable
            caption="Campaigns, newest first"
            server={paging}
            rows={data.rows}
            rowKey={(c) => c.id}
            empty="No campaign yet. Create one below."
            columns={[
              { header: "Name", rowHeader: true, cell: (c) => c.name, text: (c) => c.name },
              { header: "Discount", cell: discountText, text: discountText },
              { header: "State", cell: stateOf, text: stateOf },
              { header: "Used", numeric: true, cell: (c) => `${c.usedCount}${c.maxUses ? ` / ${c.maxUses}` : ""}` },
              { header: "Per developer", numeric: true, cell: (c) => c.perDeveloperLimit ?? "–" },
              { header: "From", cell: (c) => formatTime(c.startsAt) },
              { header: "Until", cell: (c) => formatTime(c.disabledAt ?? c.endsAt) },
              {
                header: "Action",
                cell: (c) =>
                  stateOf(c) === "running" || stateOf(c) === "scheduled" ? (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`End now: campaign ${c.name}`}
                      onClick={() =>
                        action.ask({
                          title: `End “${c.name}” now?`,
                          message: <p>No further submission gets its discount. This cannot be undone.</p>,
                          confirmLabel: "End campaign",
                          failure: "Campaign not ended",
                          run: async () => {
                            const ended = await operatorConsoleApi.disableCampaign(credential, c.id);
                            return `Campaign “${ended.name}” ended at ${formatTime(ended.disabledAt)}.`;
                          },
                        })
                      }
                    >
                      End now
                    </button>
                  ) : (
                    "–"
                  ),
              },
            ]}
          />
        )}
      </ResourceView>
      <CampaignForm credential={credential} onCreated={list.reload} />
      {action.dialog}
    </>
  );
}

function CampaignForm({ credential, onCreated }: { credential: Credential; onCreated: () => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"percent" | "fixed">("percent");
  const [amount, setAmount] = useState("");
  const [maxUses, setMaxUses] = useState("");
  const [perDev, setPerDev] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const n = Number(amount);
    const parsed = CampaignInputSchema.safeParse({
      name: name.trim(),
      discount: kind === "percent" ? { kind, bps: Math.round(n * 100) } : { kind, credits: n },
      maxUses: maxUses.trim() ? Number(maxUses) : null,
      perDeveloperLimit: perDev.trim() ? Number(perDev) : null,
      startsAt: localToIso(startsAt),
      endsAt: localToIso(endsAt),
    });
    if (!parsed.success) return setError(new Error(firstIssue(parsed.error)));
    setBusy(true);
    setError(null);
    try {
      const created = await operatorConsoleApi.createCampaign(credential, parsed.data);
      setDone(`Campaign “${created.name}” created.`);
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="operator-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New campaign</h3>
      <label htmlFor={`${id}-name`}>Name</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      <label htmlFor={`${id}-kind`}>Discount kind</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as "percent" | "fixed")}>
        <option value="percent">percent off</option>
        <option value="fixed">credits off</option>
      </select>
      <label htmlFor={`${id}-amount`}>{kind === "percent" ? "Percent off (e.g. 20)" : "Credits off"}</label>
      <input id={`${id}-amount`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      <label htmlFor={`${id}-max`}>At most this many submissions (optional)</label>
      <input id={`${id}-max`} inputMode="numeric" value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
      <label htmlFor={`${id}-perdev`}>At most this many per developer (optional)</label>
      <input id={`${id}-perdev`} inputMode="numeric" value={perDev} onChange={(e) => setPerDev(e.target.value)} />
      <label htmlFor={`${id}-starts`}>Starts</label>
      <input id={`${id}-starts`} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
      <label htmlFor={`${id}-ends`}>Ends</label>
      <input id={`${id}-ends`} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create campaign"}
        </button>
      </div>
      <ErrorNotice error={error} context="Campaign not created" />
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
    </form>
  );
}
