// The operator console: password + TOTP sign-in, then one screen per part of
// the operator plane (SPEC §8), chosen from the section navigation. Every answer
// is parsed with its @assay/protocol schema (api/client.ts operatorConsoleApi).
import { useId, useState, type FormEvent } from "react";
import { operatorApi, type Credential } from "../api/client";
import { ErrorNotice } from "../ui/ErrorNotice";
import { AuditLogScreen } from "./AuditLogScreen";
import { CampaignsScreen } from "./CampaignsScreen";
import { CertificatesScreen } from "./CertificatesScreen";
import { CreditsScreen } from "./CreditsScreen";
import { EscalationsScreen } from "./EscalationsScreen";
import { FlagsScreen } from "./FlagsScreen";
import { PaymentMethodsScreen } from "./PaymentMethodsScreen";
import { PricingScreen } from "./PricingScreen";
import { SigningKeysScreen } from "./SigningKeysScreen";
import { UsageScreen } from "./UsageScreen";
import { ValidatorsScreen } from "./ValidatorsScreen";
import { VouchersScreen } from "./VouchersScreen";
import { useOperatorSession } from "./session";
import "./operator.css";

export const OPERATOR_SCREENS = [
  { key: "escalations", title: "Escalations", Screen: EscalationsScreen },
  { key: "validators", title: "Validators", Screen: ValidatorsScreen },
  { key: "pricing", title: "Pricing", Screen: PricingScreen },
  { key: "campaigns", title: "Campaigns", Screen: CampaignsScreen },
  { key: "payment-methods", title: "Payment methods", Screen: PaymentMethodsScreen },
  { key: "vouchers", title: "Vouchers", Screen: VouchersScreen },
  { key: "credits", title: "Credit grants", Screen: CreditsScreen },
  { key: "usage", title: "Usage", Screen: UsageScreen },
  { key: "flags", title: "Flags", Screen: FlagsScreen },
  { key: "audit-log", title: "Audit log", Screen: AuditLogScreen },
  { key: "signing-keys", title: "Signing keys", Screen: SigningKeysScreen },
  { key: "certificates", title: "Submissions and certificates", Screen: CertificatesScreen },
] as const;
export type OperatorScreenKey = (typeof OPERATOR_SCREENS)[number]["key"];

export function OperatorConsole() {
  const { session, credential, signIn, signOut } = useOperatorSession();
  return (
    <section aria-labelledby="operator-heading" className="operator">
      <h1 id="operator-heading">Operator console</h1>
      {!session || !credential ? (
        <LoginForm onSignedIn={signIn} />
      ) : (
        <>
          <p className="row spread operator-who">
            <span>
              Signed in as {session.email}
              {session.role ? ` (${session.role})` : ""}.
            </span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </p>
          <Console credential={credential} />
        </>
      )}
    </section>
  );
}

function LoginForm({ onSignedIn }: { onSignedIn: (s: { token: string; email: string; role?: string; expiresAt?: string }) => void }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(totp.trim())) {
      setError(new Error("The authenticator code is 6 digits."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await operatorApi.login({ email: email.trim(), password, totp: totp.trim() });
      onSignedIn({ token: result.token, email: email.trim(), role: result.operator.role, expiresAt: result.expiresAt });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="login" noValidate aria-label="Operator sign-in">
      <label htmlFor={`${id}-email`}>Email</label>
      <input id={`${id}-email`} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <label htmlFor={`${id}-password`}>Password</label>
      <input id={`${id}-password`} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <label htmlFor={`${id}-totp`}>Authenticator code</label>
      <input
        id={`${id}-totp`}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        value={totp}
        onChange={(e) => setTotp(e.target.value)}
        aria-describedby={`${id}-totp-hint`}
        required
      />
      <p id={`${id}-totp-hint`} className="muted hint">
        The 6-digit code your authenticator app shows for Assay.
      </p>
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <ErrorNotice error={error} context="Sign-in failed" />
    </form>
  );
}

function Console({ credential }: { credential: Credential }) {
  const [current, setCurrent] = useState<OperatorScreenKey>("escalations");
  const screen = OPERATOR_SCREENS.find((s) => s.key === current) ?? OPERATOR_SCREENS[0];
  const { Screen } = screen;
  return (
    <div className="operator-layout">
      <nav aria-label="Operator sections" className="operator-nav">
        <ul>
          {OPERATOR_SCREENS.map((s) => (
            <li key={s.key}>
              <button
                type="button"
                className={s.key === current ? "current" : "secondary"}
                aria-current={s.key === current ? "page" : undefined}
                data-screen={s.key}
                onClick={() => {
                  setCurrent(s.key);
                  // Why: keyboard and screen-reader users land on the new screen's heading.
                  window.requestAnimationFrame(() => document.getElementById("operator-screen-heading")?.focus());
                }}
              >
                {s.title}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="operator-screen" aria-labelledby="operator-screen-heading" data-screen={screen.key}>
        <h2 id="operator-screen-heading" tabIndex={-1}>
          {screen.title}
        </h2>
        <Screen key={screen.key} credential={credential} />
      </section>
    </div>
  );
}
