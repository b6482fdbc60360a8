// The developer portal: sign in (email + password, or an API key), then the
// screens — submissions with live status, API keys, credits (balance, voucher,
// journal), quotes and usage. Each screen has loading, empty and error states.
import "./developer.css";
import type { ReactNode } from "react";
import { Link } from "../router";
import { ProblemNote } from "./ProblemNote";
import { AuthPanel } from "./AuthPanel";
import { ApiKeysScreen } from "./ApiKeysScreen";
import { CreditsScreen } from "./CreditsScreen";
import { QuoteScreen } from "./QuoteScreen";
import { SubmissionsScreen } from "./SubmissionsScreen";
import { UsageScreen } from "./UsageScreen";
import { refreshSession, signOut, useDeveloperSession } from "./session";

export const DEVELOPER_SECTIONS = [
  { id: "submissions", path: "/developer", label: "Submissions" },
  { id: "keys", path: "/developer/keys", label: "API keys" },
  { id: "credits", path: "/developer/credits", label: "Credits" },
  { id: "quote", path: "/developer/quote", label: "Quote" },
  { id: "usage", path: "/developer/usage", label: "Usage" },
] as const;
export type DeveloperSection = (typeof DEVELOPER_SECTIONS)[number]["id"];

export function DeveloperPortal({ section = "submissions" }: { section?: DeveloperSection }) {
  const label = DEVELOPER_SECTIONS.find((s) => s.id === section)?.label ?? "Submissions";
  return (
    <section aria-labelledby="dev-heading" className="dev">
      <h1 id="dev-heading">Developer portal{section === "submissions" ? "" : ` — ${label}`}</h1>
      <SignedIn current={section}>
        {(credential) => (
          <>
            {section === "submissions" && <SubmissionsScreen credential={credential} />}
            {section === "keys" && <ApiKeysScreen credential={credential} />}
            {section === "credits" && <CreditsScreen credential={credential} />}
            {section === "quote" && <QuoteScreen credential={credential} />}
            {section === "usage" && <UsageScreen credential={credential} />}
          </>
        )}
      </SignedIn>
    </section>
  );
}

/** Renders its children only when signed in; otherwise the sign-in screen (or why the check failed). */
export function SignedIn({ children, current }: { children: (credential: import("../api/client").Credential) => ReactNode; current?: DeveloperSection }) {
  const session = useDeveloperSession();
  if (session.state === "checking") return <p role="status">Checking whether you are signed in…</p>;
  if (session.state === "unreachable")
    return (
      <>
        <ProblemNote error={session.error} context="Could not check your sign-in" />
        <button type="button" onClick={() => void refreshSession()}>
          Try again
        </button>
      </>
    );
  if (session.state === "signed-out") return <AuthPanel {...(session.notice ? { notice: session.notice } : {})} />;
  const { developer, via } = session.session;
  return (
    <>
      <div className="dev-account">
        <p data-testid="signed-in-as">
          Signed in as <strong>{developer.name}</strong> ({developer.email}){via === "api_key" ? " with an API key in this tab" : ""}.
        </p>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
      <nav aria-label="Developer portal" className="dev-tabs">
        {DEVELOPER_SECTIONS.map((s) => (
          <Link key={s.id} to={s.path} aria-current={s.id === current ? "page" : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      {children(session.credential)}
    </>
  );
}
