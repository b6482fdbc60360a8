// Payment-method switches: prepaid grants, vouchers, on-chain deposits. A
// change is confirmed; credits already granted stay usable.
import { useId, useState } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { ResourceView, useResource } from "../ui/useResource";

type Methods = Awaited<ReturnType<typeof operatorConsoleApi.paymentMethods>>;
const METHODS: { key: keyof Methods; label: string; help: string }[] = [
  { key: "prepaid", label: "Prepaid credit grants", help: "Operators grant credits to developers." },
  { key: "vouchers", label: "Vouchers", help: "Developers redeem voucher codes for credits." },
  { key: "deposits", label: "On-chain deposits", help: "Developers pay into the Treasury contract." },
];

export function PaymentMethodsScreen({ credential }: { credential: Credential }) {
  const state = useResource(() => operatorConsoleApi.paymentMethods(credential), [credential]);
  const action = useConfirmedAction(() => state.reload());
  return (
    <>
      {action.outcome}
      <ResourceView resource={state} what="payment methods">
        {(methods) => <Switches key={JSON.stringify(methods)} methods={methods} credential={credential} ask={action.ask} />}
      </ResourceView>
      {action.dialog}
    </>
  );
}

function Switches({ methods, credential, ask }: { methods: Methods; credential: Credential; ask: ReturnType<typeof useConfirmedAction>["ask"] }) {
  const id = useId();
  const [draft, setDraft] = useState<Methods>(methods);
  const changed = METHODS.filter((m) => draft[m.key] !== methods[m.key]);
  return (
    <form
      className="operator-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (changed.length === 0) return;
        const change = Object.fromEntries(changed.map((m) => [m.key, draft[m.key]]));
        ask({
          title: "Change payment methods?",
          message: (
            <ul>
              {changed.map((m) => (
                <li key={m.key}>
                  {m.label}: {draft[m.key] ? "switched on" : "switched off"}
                </li>
              ))}
            </ul>
          ),
          confirmLabel: "Apply",
          failure: "Payment methods not changed",
          run: async () => {
            const now = await operatorConsoleApi.setPaymentMethods(credential, change);
            return `Payment methods now: ${METHODS.map((m) => `${m.label.toLowerCase()} ${now[m.key] ? "on" : "off"}`).join(", ")}.`;
          },
        });
      }}
    >
      <fieldset>
        <legend>Switched on</legend>
        {METHODS.map((m) => (
          <div key={m.key} className="switch">
            <input id={`${id}-${m.key}`} type="checkbox" checked={draft[m.key]} onChange={(e) => setDraft({ ...draft, [m.key]: e.target.checked })} aria-describedby={`${id}-${m.key}-help`} />
            <label htmlFor={`${id}-${m.key}`} className="inline">
              {m.label}
            </label>
            <span id={`${id}-${m.key}-help`} className="muted hint">
              {m.help}
            </span>
          </div>
        ))}
      </fieldset>
      <div className="row">
        <button type="submit" disabled={changed.length === 0}>
          Apply changes…
        </button>
        {changed.length === 0 && <span className="muted">No change yet.</span>}
      </div>
    </form>
  );
}
