// Sign in, create an account, or use an API key instead. Every field has a
// visible label; errors name what went wrong and what to do next.
import { useId, useState, type FormEvent } from "react";
import { ProblemNote } from "./ProblemNote";
import { signIn, signUp, signInWithApiKey } from "./session";

type Mode = "sign-in" | "sign-up";

export function AuthPanel({ notice }: { notice?: string }) {
  const [mode, setMode] = useState<Mode>("sign-in");
  return (
    <div className="dev-auth">
      {notice && (
        <p className="dev-notice" role="status">
          {notice}
        </p>
      )}
      <div className="dev-auth-switch" role="group" aria-label="Account">
        <button type="button" className={mode === "sign-in" ? "" : "secondary"} aria-pressed={mode === "sign-in"} onClick={() => setMode("sign-in")}>
          Sign in
        </button>
        <button type="button" className={mode === "sign-up" ? "" : "secondary"} aria-pressed={mode === "sign-up"} onClick={() => setMode("sign-up")}>
          Create account
        </button>
      </div>
      {mode === "sign-in" ? <SignInForm /> : <SignUpForm />}
      <details className="dev-key-option">
        <summary>Use an API key instead</summary>
        <KeyForm />
      </details>
    </div>
  );
}

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

function SignInForm() {
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit(() => signIn(email, password));
  return (
    <form className="dev-form" onSubmit={(e) => void run(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sign in</h2>
      <label htmlFor={`${id}-email`}>Email</label>
      <input id={`${id}-email`} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor={`${id}-password`}>Password</label>
      <input id={`${id}-password`} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <ProblemNote error={error} context="Could not sign in" />
    </form>
  );
}

function SignUpForm() {
  const id = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit(() => signUp(name, email, password));
  const short = password.length > 0 && password.length < 12;
  return (
    <form className="dev-form" onSubmit={(e) => void run(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Create an account</h2>
      <label htmlFor={`${id}-name`}>Name</label>
      <input id={`${id}-name`} autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-email`}>Email</label>
      <input id={`${id}-email`} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        aria-describedby={`${id}-password-help`}
        aria-invalid={short || undefined}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <p id={`${id}-password-help`} className="muted">
        At least 12 characters. A passphrase of a few words is easiest.
      </p>
      <button type="submit" disabled={busy}>
        {busy ? "Creating account…" : "Create account"}
      </button>
      <ProblemNote error={error} context="Could not create the account" />
    </form>
  );
}

function KeyForm() {
  const id = useId();
  const [key, setKey] = useState("");
  const { busy, error, setError, run } = useSubmit(async () => {
    if (key.trim() === "") throw new Error("Paste an API key first.");
    await signInWithApiKey(key.trim());
  });
  return (
    <form className="dev-form" onSubmit={(e) => void run(e)}>
      <label htmlFor={`${id}-key`}>API key</label>
      <input
        id={`${id}-key`}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="ak_…"
        aria-describedby={`${id}-key-help`}
        value={key}
        onChange={(e) => {
          setKey(e.target.value);
          setError(null);
        }}
      />
      <p id={`${id}-key-help`} className="muted">
        Checked with the API first, then kept in this tab's session storage only and sent as a bearer token.
      </p>
      <button type="submit" disabled={busy}>
        {busy ? "Checking key…" : "Use key"}
      </button>
      <ProblemNote error={error} context="API key not accepted" />
    </form>
  );
}
