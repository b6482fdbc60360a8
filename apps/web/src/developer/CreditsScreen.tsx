// Credits: the balance (available and held by submissions in flight), voucher
// redemption, and the journal of every entry that moved the developer's credits.
import { useId, useState, type FormEvent } from "react";
import { developerApi, type Credential } from "../api/client";
import { formatTime, shortDigest } from "../format";
import { Link } from "../router";
import { ProblemNote } from "./ProblemNote";
import { sessionEnded } from "./session";
import { useLoad } from "./use-load";

const KIND_WORDS: Record<string, string> = {
  voucher: "Voucher redeemed",
  grant: "Credits granted",
  deposit: "On-chain deposit",
  hold: "Held for a submission",
  capture: "Charged for a submission",
  release: "Hold released",
};

export function CreditsScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const balance = useLoad(() => developerApi.credits(credential), [credential]);
  const journal = useLoad(() => developerApi.journal(credential), [credential]);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const redeem = async (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() === "") {
      setError(new Error("Enter the voucher code first."));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await developerApi.redeem(credential, code.trim());
      setDone(`Redeemed: ${result.credited} credits added. You now have ${result.balance.available} credits available.`);
      setCode("");
      balance.reload();
      journal.reload();
    } catch (e) {
      if (!sessionEnded(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Credits</h2>
      <ProblemNote error={balance.error} context="Could not read your balance" />
      {balance.loading && balance.data === null && <p role="status">Loading balance…</p>}
      {balance.data && (
        <dl className="dev-balance" data-testid="credit-balance">
          <div>
            <dt>Available</dt>
            <dd data-available={balance.data.available}>{balance.data.available} credits</dd>
          </div>
          <div>
            <dt>Held by submissions in flight</dt>
            <dd>{balance.data.held} credits</dd>
          </div>
        </dl>
      )}
      <form className="dev-form dev-inline" onSubmit={(e) => void redeem(e)}>
        <label htmlFor={`${id}-code`}>Voucher code</label>
        <div className="row">
          <input id={`${id}-code`} autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" disabled={busy}>
            {busy ? "Redeeming…" : "Redeem voucher"}
          </button>
        </div>
      </form>
      {done && (
        <p className="dev-ok" role="status">
          {done}
        </p>
      )}
      <ProblemNote error={error} context="The voucher was not redeemed" />

      <h3>Journal</h3>
      <ProblemNote error={journal.error} context="Could not read your journal" />
      {journal.loading && journal.data === null && <p role="status">Loading journal…</p>}
      {journal.data && journal.data.entries.length === 0 && <p className="dev-empty">No credit movements yet. Redeem a voucher above to get started.</p>}
      {journal.data && journal.data.entries.length > 0 && (
        <div className="dev-scroll">
          <table className="dev-table" data-testid="credit-journal">
            <caption>Credit movements, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col" className="num">
                  Available
                </th>
                <th scope="col" className="num">
                  Held
                </th>
                <th scope="col">Submission</th>
              </tr>
            </thead>
            <tbody>
              {journal.data.entries.map((e) => (
                <tr key={e.entryId} data-kind={e.kind}>
                  <td>{formatTime(e.at)}</td>
                  <th scope="row">{KIND_WORDS[e.kind] ?? e.kind}</th>
                  <td className="num">{signed(e.available)}</td>
                  <td className="num">{signed(e.held)}</td>
                  <td>{e.submissionId ? <Link to={`/developer/submissions/${e.submissionId}`}>{shortDigest(e.submissionId, 8)}</Link> : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n === 0 ? "0" : `−${Math.abs(n)}`;
}
