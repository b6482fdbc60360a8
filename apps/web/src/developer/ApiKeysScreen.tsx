// API keys: create one (shown once, with a copy button), list them (prefixes
// only), revoke one (asks first).
import { useId, useState, type FormEvent } from "react";
import type { z } from "zod";
import type { CreatedApiKeySchema } from "@assay/protocol";
import { developerApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { ProblemNote } from "./ProblemNote";
import { sessionEnded } from "./session";
import { useLoad } from "./use-load";
import { CopyButton } from "./CopyButton";

export function ApiKeysScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const keys = useLoad(() => developerApi.apiKeys(credential), [credential]);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<z.infer<typeof CreatedApiKeySchema> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      keys.reload();
    } catch (e) {
      if (!sessionEnded(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      setCreated(await developerApi.createApiKey(credential, name.trim() || "portal"));
      setName("");
    });
  };
  const active = (keys.data ?? []).filter((k) => k.revokedAt === null);
  const revoked = (keys.data ?? []).filter((k) => k.revokedAt !== null);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>API keys</h2>
      <p className="muted">The CLI (<code>assay login --api-key …</code>) and scripts use API keys. A key is shown once, when you create it.</p>
      <form className="dev-form dev-inline" onSubmit={create}>
        <label htmlFor={`${id}-name`}>Name of the new key</label>
        <div className="row">
          <input id={`${id}-name`} value={name} maxLength={100} placeholder="e.g. laptop CLI" onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
      {created && (
        <div className="dev-once" role="status">
          <p>
            <strong>Your new key “{created.name}”.</strong> Copy it now: it is not shown again.
          </p>
          <p className="row">
            <code className="dev-secret" data-testid="new-api-key">
              {created.key}
            </code>
            <CopyButton text={created.key} label="Copy key" />
          </p>
          <button type="button" className="secondary" onClick={() => setCreated(null)}>
            I have saved it
          </button>
        </div>
      )}
      <ProblemNote error={error} context="The key could not be changed" />
      <ProblemNote error={keys.error} context="Could not list your keys" />
      {keys.loading && keys.data === null && <p role="status">Loading keys…</p>}
      {keys.data && active.length === 0 && <p className="dev-empty">You have no active API keys. Create one above to use the CLI.</p>}
      {active.length > 0 && (
        <div className="dev-scroll">
          <table className="dev-table">
            <caption>Active keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {active.map((k) => (
                <tr key={k.id} data-api-key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>
                    <code>{k.prefix}</code>
                  </td>
                  <td>{formatTime(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? formatTime(k.lastUsedAt) : "never"}</td>
                  <td>
                    {confirming === k.id ? (
                      <span className="row">
                        <button type="button" className="danger" disabled={busy} onClick={() => void act(async () => { await developerApi.revokeApiKey(credential, k.id); setConfirming(null); })}>
                          Revoke “{k.name}” now
                        </button>
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="secondary" onClick={() => setConfirming(k.id)} aria-label={`Revoke key ${k.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoked.length > 0 && (
        <details>
          <summary>Revoked keys ({revoked.length})</summary>
          <ul>
            {revoked.map((k) => (
              <li key={k.id}>
                {k.name} <code>{k.prefix}</code>, revoked {formatTime(k.revokedAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
