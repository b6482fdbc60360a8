// The operator console: password + TOTP login, submissions, and the other
// operator sections that the API publishes (see sections.ts).
import { useEffect, useId, useState, type FormEvent } from "react";
import { operatorApi, type Credential } from "../api/client";
import type { OpenApiDocument } from "../api/client";
import type { SubmissionViewBody as SubmissionView } from "@assay/protocol";
import { SubmissionsTable } from "../developer/SubmissionsTable";
import { ErrorMessage } from "../ui/ErrorMessage";
import { CertificateStatusForm } from "./CertificateStatusForm";
import { availableSections, canChangeCertificateStatus, cellText, rowsOf, type OperatorSection } from "./sections";
import { useOperatorSession } from "./session";

export function OperatorConsole() {
  const { session, credential, signIn, signOut } = useOperatorSession();
  return (
    <section aria-labelledby="operator-heading">
      <h1 id="operator-heading">Operator console</h1>
      {!session || !credential ? (
        <LoginForm onSignedIn={signIn} />
      ) : (
        <>
          <p className="row spread">
            <span>Signed in as {session.email}.</span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </p>
          <Console credential={credential} onUnauthorized={signOut} />
        </>
      )}
    </section>
  );
}

function LoginForm({ onSignedIn }: { onSignedIn: (s: { token: string; email: string; expiresAt?: string }) => void }) {
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
      onSignedIn({ token: result.token, email: email.trim(), ...(result.expiresAt ? { expiresAt: result.expiresAt } : {}) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="login" noValidate>
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
        required
      />
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <ErrorMessage error={error} context="Sign-in failed" />
    </form>
  );
}

function Console({ credential, onUnauthorized }: { credential: Credential; onUnauthorized: () => void }) {
  const [items, setItems] = useState<SubmissionView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openApi, setOpenApi] = useState<OpenApiDocument | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    operatorApi.submissions(credential).then(
      (page) => live && setItems(page.items),
      (e: unknown) => {
        if (!live) return;
        if ((e as { status?: number }).status === 401) onUnauthorized();
        setError(e);
      },
    );
    operatorApi.openApi().then((doc) => live && setOpenApi(doc));
    return () => {
      live = false;
    };
  }, [credential, onUnauthorized]);

  const sections = availableSections(openApi ?? null);
  return (
    <>
      <section aria-labelledby="op-submissions">
        <h2 id="op-submissions">Submissions</h2>
        <ErrorMessage error={error} context="Could not list submissions" />
        {items && <SubmissionsTable items={items} caption="All submissions, newest first" />}
      </section>
      {canChangeCertificateStatus(openApi ?? null) && <CertificateStatusForm credential={credential} />}
      {sections.map((s) => (
        <SectionPanel key={s.key} section={s} credential={credential} />
      ))}
      {openApi === null && (
        <p className="muted">The operator API's OpenAPI document is not published here, so only submissions are shown.</p>
      )}
    </>
  );
}

function SectionPanel({ section, credential }: { section: OperatorSection; credential: Credential }) {
  const [data, setData] = useState<unknown>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    setError(null);
    try {
      setData(await operatorApi.get(credential, section.path));
    } catch (e) {
      setError(e);
    }
  };
  const rows = data === undefined ? null : rowsOf(data);
  const columns = rows ? Array.from(new Set(rows.flatMap((r) => Object.keys(r)))) : [];
  return (
    <section aria-labelledby={`op-${section.key}`}>
      <h2 id={`op-${section.key}`}>{section.title}</h2>
      <button type="button" onClick={() => void load()}>
        {data === undefined ? "Load" : "Reload"} {section.title.toLowerCase()}
      </button>
      <ErrorMessage error={error} context={`Could not load ${section.title.toLowerCase()}`} />
      {rows && rows.length === 0 && <p>None.</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{cellText(r[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data !== undefined && !rows && <pre>{JSON.stringify(data, null, 2)}</pre>}
    </section>
  );
}
