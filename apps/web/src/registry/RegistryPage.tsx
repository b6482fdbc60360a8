// The public registry (/registry): search certified runtimes by name, claim,
// status and issue date (GET /v1/public/registry/certificates, docs/decisions/0017);
// each result links to the certificate's permanent page (/registry/<id>).
import { REGISTRY_STATUSES, SripClaim, type RegistryEntry } from "@assay/protocol";
import { useEffect, useId, useState, type FormEvent } from "react";
import { publicApi } from "../api/client";
import { Link } from "../router";
import { ErrorMessage } from "../ui/ErrorMessage";
import { humanDate, sripDescription } from "../verify/explain";
import { plainError } from "./plain-error";

type Filters = { name: string; claim: string; status: string; issuedFrom: string; issuedBefore: string };
const EMPTY: Filters = { name: "", claim: "", status: "", issuedFrom: "", issuedBefore: "" };

function filtersFromLocation(): Filters {
  const params = new URLSearchParams(window.location.search);
  return { name: params.get("name") ?? "", claim: params.get("claim") ?? "", status: params.get("status") ?? "", issuedFrom: params.get("issuedFrom") ?? "", issuedBefore: params.get("issuedBefore") ?? "" };
}

export function RegistryPage() {
  const [filters, setFilters] = useState<Filters>(filtersFromLocation);
  const [applied, setApplied] = useState<Filters>(filters);
  const [items, setItems] = useState<RegistryEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const formId = useId();

  useEffect(() => {
    let live = true;
    setBusy(true);
    setError(null);
    publicApi.registrySearch(applied).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setItems(null);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [applied]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = filters.name.trim();
    if (name !== "" && name.length < 3) {
      setProblem("Type at least 3 characters of the runtime's name, or leave the name empty.");
      return;
    }
    setProblem(null);
    const next = { ...filters, name };
    const qs = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== "")).toString();
    window.history.replaceState(null, "", `/registry${qs ? `?${qs}` : ""}`);
    setApplied(next);
  };

  const more = async () => {
    if (!nextCursor) return;
    setBusy(true);
    try {
      const page = await publicApi.registrySearch({ ...applied, cursor: nextCursor });
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));

  return (
    <>
      <section aria-labelledby="registry-heading" className="panel">
        <h1 id="registry-heading">Certified runtimes</h1>
        <p className="muted">The public registry of certificates this issuer has signed. Each one has a permanent page with its badge, and can be verified in your browser.</p>
        <form onSubmit={submit} className="registry-search" role="search" aria-label="Search the registry" noValidate>
          <div className="field">
            <label htmlFor={`${formId}-name`}>Runtime name contains</label>
            <input id={`${formId}-name`} name="name" value={filters.name} onChange={set("name")} autoComplete="off" aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${formId}-problem` : undefined} />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-claim`}>Claim</label>
            <select id={`${formId}-claim`} name="claim" value={filters.claim} onChange={set("claim")}>
              <option value="">any claim</option>
              {SripClaim.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-status`}>Status</label>
            <select id={`${formId}-status`} name="status" value={filters.status} onChange={set("status")}>
              <option value="">any status</option>
              {REGISTRY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-from`}>Issued on or after</label>
            <input id={`${formId}-from`} name="issuedFrom" type="date" value={filters.issuedFrom} onChange={set("issuedFrom")} />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-before`}>Issued before</label>
            <input id={`${formId}-before`} name="issuedBefore" type="date" value={filters.issuedBefore} onChange={set("issuedBefore")} />
          </div>
          <div className="field actions">
            <button type="submit">Search</button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setFilters(EMPTY);
                setProblem(null);
                window.history.replaceState(null, "", "/registry");
                setApplied(EMPTY);
              }}
            >
              Clear
            </button>
          </div>
        </form>
        {problem && (
          <p id={`${formId}-problem`} className="error" role="alert">
            {problem}
          </p>
        )}
      </section>

      {busy && (
        <p role="status" className="busy">
          Searching the registry…
        </p>
      )}
      {error !== null && <ErrorMessage error={plainError(error, "The registry could not be searched")} />}
      {items && items.length === 0 && !busy && (
        <p className="empty" data-testid="registry-empty">
          No certificate matches these filters. Try fewer filters, or <Link to="/registry">list every certificate</Link>.
        </p>
      )}
      {items && items.length > 0 && (
        <section aria-label="Search results">
          <p className="muted" role="status">
            {items.length} certificate{items.length === 1 ? "" : "s"} shown{nextCursor ? " (more available)" : ""}
          </p>
          <ul className="registry-results">
            {items.map((entry) => (
              <li key={entry.id} data-certificate={entry.id} className="card">
                <div className="card-head">
                  <h2>
                    <Link to={`/registry/${entry.id}`}>
                      {entry.runtime.name} <span className="muted">{entry.runtime.version}</span>
                    </Link>
                  </h2>
                  <RegistryStatus status={entry.status} reason={entry.statusReason} />
                </div>
                <ul className="claims" aria-label="Claims evidenced">
                  {entry.claims.map((c) => (
                    <li key={c} title={sripDescription(c)}>
                      {c}
                    </li>
                  ))}
                </ul>
                <p className="muted small">
                  {entry.level === "assembly" ? "Audit and validator assembly" : "Audit only"} · suite {entry.suite.id} {entry.suite.version} · issued {humanDate(entry.issuedAt)} · valid until {humanDate(entry.validUntil)}
                </p>
              </li>
            ))}
          </ul>
          {nextCursor && (
            <button type="button" className="secondary" onClick={() => void more()} disabled={busy}>
              Show more
            </button>
          )}
        </section>
      )}
    </>
  );
}

export function RegistryStatus({ status, reason }: { status: string; reason?: string | null }) {
  return (
    <span className={`status status-${status}`} data-registry-status={status}>
      {status}
      {reason ? ` (${reason})` : ""}
    </span>
  );
}
