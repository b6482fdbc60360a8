// Credit grants: look up a developer's balance, grant prepaid credits
// (confirmed; a request key makes a retried grant post once).
import { CreditGrantInputSchema } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { firstIssue } from "./form-values";

export function CreditsScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const [developerId, setDeveloperId] = useState("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  // One key per intended grant: a retry after a lost answer posts nothing twice.
  const [requestKey, setRequestKey] = useState(() => `grant-${crypto.randomUUID()}`);
  const [error, setError] = useState<unknown>(null);
  const [balance, setBalance] = useState<{ available: number; held: number } | null>(null);
  const [balanceError, setBalanceError] = useState<unknown>(null);
  const action = useConfirmedAction(() => {
    setRequestKey(`grant-${crypto.randomUUID()}`);
    setAmount("");
    setReason("");
  });

  const lookUp = async () => {
    setBalance(null);
    setBalanceError(null);
    try {
      setBalance(await operatorConsoleApi.developerCredits(credential, developerId.trim()));
    } catch (e) {
      setBalanceError(e);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = CreditGrantInputSchema.safeParse({ developerId: developerId.trim(), amount: Number(amount), reason: reason.trim(), requestKey });
    if (!parsed.success) return setError(new Error(firstIssue(parsed.error)));
    setError(null);
    ask(parsed.data);
  };
  const ask = (input: ReturnType<typeof CreditGrantInputSchema.parse>) =>
    action.ask({
      title: `Grant ${input.amount} credits?`,
      message: (
        <p>
          Developer <code>{input.developerId}</code> receives {input.amount} credits ({input.reason}). Grants are posted to the ledger and cannot be withdrawn here.
        </p>
      ),
      confirmLabel: "Grant credits",
      failure: "Credits not granted",
      run: async () => {
        const result = await operatorConsoleApi.grantCredits(credential, input);
        setBalance(result.balance);
        return result.posted
          ? `Granted ${input.amount} credits: the developer now has ${result.balance.available} available.`
          : `This grant was already posted (same request key); the developer has ${result.balance.available} available.`;
      },
    });

  return (
    <>
      {action.outcome}
      <form className="operator-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Grant prepaid credits</h3>
        <label htmlFor={`${id}-dev`}>Developer id</label>
        <div className="row">
          <input id={`${id}-dev`} value={developerId} onChange={(e) => setDeveloperId(e.target.value)} spellCheck={false} placeholder="uuid" />
          <button type="button" className="secondary" onClick={() => void lookUp()} disabled={developerId.trim() === ""}>
            Show balance
          </button>
        </div>
        {balance && (
          <p role="status">
            Balance: {balance.available} available, {balance.held} held.
          </p>
        )}
        <ErrorNotice error={balanceError} context="Could not read the balance" />
        <label htmlFor={`${id}-amount`}>Credits</label>
        <input id={`${id}-amount`} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <label htmlFor={`${id}-reason`}>Reason (kept in the audit log)</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <div className="row">
          <button type="submit">Grant…</button>
        </div>
        <ErrorNotice error={error} context="Not sent" />
      </form>
      {action.dialog}
    </>
  );
}
