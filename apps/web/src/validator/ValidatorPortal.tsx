// The validator portal: sign in with the validator's Ed25519 key (the challenge
// is signed in this browser; the key never leaves it), then assignments with
// phase and deadlines, the evidence of a seat, a vote committed with a salt
// made and kept here, the reveal, reputation and stake over time.
import { useCallback, useEffect, useState } from "react";
import type { AgentHistory, AgentMeSchema, AssignmentsSchema, BeaconWindowsSchema } from "@assay/protocol";
import type { z } from "zod";
import { agentApi, type Credential } from "../api/client";
import { ApiError, readableError } from "../api/errors";
import { HistoryChart } from "../charts/HistoryChart";
import { formatBps, formatRelative, formatTime } from "../format";
import { ErrorMessage } from "../ui/ErrorMessage";
import { download, generateKey, importKey, readKeyFile, signChallenge, type KeyChoice, type LoadedKey } from "./keys";
import { EvidencePanel } from "./EvidencePanel";
import { historySeries } from "./history";

type Me = z.infer<typeof AgentMeSchema>;
type Assignment = z.infer<typeof AssignmentsSchema>["assignments"][number];
type BeaconWindow = z.infer<typeof BeaconWindowsSchema>["beacons"][number];
export type Session = { token: string; expiresAt: string; validatorId: string; publicKey: string };

/** What a failed sign-in means to the person at the keyboard. */
export function signInError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "validator_not_found") return "This key is not a registered validator: no validator has its public key. Check that you chose the right key file, or activate this key first.";
    if (error.code === "challenge_invalid") return `The server refused the signature made with this key (${error.message}). Choose the validator's own key file and try again.`;
    if (error.code === "rate_limited") return "Too many sign-in attempts from here: wait a minute and try again.";
  }
  return `Could not sign in: ${readableError(error)}`;
}

export async function signIn(key: LoadedKey): Promise<Session> {
  const challenge = await agentApi.challenge(key.publicKey);
  const signature = await signChallenge(key, challenge.message);
  const issued = await agentApi.token(challenge.nonce, signature);
  return { token: issued.token, expiresAt: issued.expiresAt, validatorId: issued.validatorId, publicKey: key.publicKey };
}

export function ValidatorPortal() {
  // The key stays in memory (a non-extractable CryptoKey) only to renew the short-lived session before it expires.
  const [signedIn, setSignedIn] = useState<{ key: LoadedKey; session: Session } | null>(null);
  const [renewError, setRenewError] = useState<string | null>(null);
  useEffect(() => {
    if (!signedIn) return;
    const wait = Math.max(5_000, Date.parse(signedIn.session.expiresAt) - Date.now() - 60_000);
    const timer = setTimeout(() => {
      signIn(signedIn.key).then(
        (session) => {
          setRenewError(null);
          setSignedIn({ key: signedIn.key, session });
        },
        (e: unknown) => setRenewError(signInError(e)),
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [signedIn]);
  return (
    <section aria-labelledby="validator-heading" className="validator-portal">
      <h1 id="validator-heading">Validator portal</h1>
      {renewError && (
        <p className="error" role="alert">
          Your session could not be renewed: {renewError}
        </p>
      )}
      {signedIn === null ? (
        <SignIn onSignedIn={(key, session) => setSignedIn({ key, session })} />
      ) : (
        <Workspace session={signedIn.session} onSignOut={() => setSignedIn(null)} />
      )}
    </section>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (key: LoadedKey, s: Session) => void }) {
  const [choices, setChoices] = useState<KeyChoice[] | null>(null);
  const [chosen, setChosen] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [generated, setGenerated] = useState<LoadedKey | null>(null);
  const [name, setName] = useState("");
  const [stake, setStake] = useState("1000");

  const onFile = async (file: File | undefined) => {
    setError(null);
    setChoices(null);
    if (!file) return;
    try {
      setChoices(readKeyFile(await file.text()));
      setChosen(0);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(signInError(e));
    } finally {
      setBusy(false);
    }
  };

  const signInWith = (key: LoadedKey) => run(async () => onSignedIn(key, await signIn(key)));

  return (
    <>
      <p>
        Sign in with your validator key. The server sends a challenge; this browser signs it with your Ed25519 private key (WebCrypto) and sends only the
        signature. The private key is never uploaded.
      </p>
      <form
        className="panel"
        aria-labelledby="key-import-heading"
        onSubmit={(e) => {
          e.preventDefault();
          const choice = choices?.[chosen];
          if (!choice) {
            setError("Choose your key file first.");
            return;
          }
          void run(async () => {
            let key: LoadedKey;
            try {
              key = await importKey(choice);
            } catch (err) {
              throw new Error((err as Error).message);
            }
            onSignedIn(key, await signIn(key));
          });
        }}
      >
        <h2 id="key-import-heading">Sign in with a key file</h2>
        <p className="muted">
          A PKCS#8 PEM key, the launcher's <code>.assay/validators.json</code>, or an <code>assay.validator-key/v1</code> file downloaded here.
        </p>
        <label htmlFor="validator-key-file">Validator key file</label>
        <input id="validator-key-file" type="file" accept=".json,.pem,application/json" onChange={(e) => void onFile(e.target.files?.[0])} />
        {choices && choices.length > 1 && (
          <>
            <label htmlFor="validator-key-choice">Key in this file</label>
            <select id="validator-key-choice" value={chosen} onChange={(e) => setChosen(Number(e.target.value))}>
              {choices.map((c, i) => (
                <option key={i} value={i}>
                  {c.name ?? `key ${i + 1}`}
                </option>
              ))}
            </select>
          </>
        )}
        <p>
          <button type="submit" disabled={busy || !choices}>
            Sign in
          </button>
        </p>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      {busy && <p role="status">Signing the challenge…</p>}
      <form
        className="panel"
        aria-labelledby="key-new-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const { file, key } = await generateKey(name.trim() || undefined);
            download(`assay-validator-${file.publicKey.slice(0, 8)}.json`, `${JSON.stringify(file, null, 2)}\n`);
            setGenerated(key);
          });
        }}
      >
        <h2 id="key-new-heading">New validator</h2>
        {generated === null ? (
          <>
            <p className="muted">Generates an Ed25519 key in this browser and downloads it as a file. Keep the file: it is the only copy.</p>
            <label htmlFor="validator-name">Name (optional)</label>
            <input id="validator-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
            <p>
              <button type="submit" disabled={busy}>
                Generate and download a key
              </button>
            </p>
          </>
        ) : (
          <>
            <p>
              Key generated and downloaded; public key <code data-testid="generated-public-key">{generated.publicKey}</code>.
            </p>
            <label htmlFor="validator-stake">Declared stake</label>
            <input id="validator-stake" inputMode="numeric" value={stake} onChange={(e) => setStake(e.target.value)} />
            <p className="muted">Declared stake is informational: you are drawn once an operator approves you or your stake is seen on chain.</p>
            <p className="row">
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await agentApi.activate({ publicKey: generated.publicKey, stake, kind: "person", ...(name.trim() ? { name: name.trim() } : {}) });
                    onSignedIn(generated, await signIn(generated));
                  })
                }
              >
                Activate and sign in
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => void signInWith(generated)}>
                Sign in (already activated)
              </button>
            </p>
          </>
        )}
      </form>
    </>
  );
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  return { data, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

function Workspace({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const credential: Credential = { kind: "session", token: session.token };
  const me = useLoad(() => agentApi.me(credential), [session.token]);
  const assignments = useLoad(() => agentApi.assignments(credential), [session.token]);
  const beacons = useLoad(() => agentApi.beacons(credential), [session.token]);
  const [selected, setSelected] = useState<string | null>(null);
  const refresh = () => {
    me.reload();
    assignments.reload();
    beacons.reload();
  };
  // Phases move on their own (deadlines, early closes): the seats are re-read every 15 s.
  useEffect(() => {
    const timer = setInterval(assignments.reload, 15_000);
    return () => clearInterval(timer);
  }, [assignments.reload]);
  const current = assignments.data?.assignments.find((a) => `${a.assemblyId}:${a.round}` === selected) ?? null;
  return (
    <>
      <p className="row spread">
        <span>
          Signed in as validator <code data-testid="validator-id">{session.validatorId}</code>; the session renews itself while this page is open.
        </span>
        <span className="row">
          <button type="button" className="secondary" onClick={refresh}>
            Refresh
          </button>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </p>
      <ErrorMessage error={me.error} context="Could not load your validator record" />
      {me.data && <Profile key={session.token} me={me.data} credential={credential} />}
      <h2>Assignments</h2>
      <ErrorMessage error={assignments.error} context="Could not load your assignments" />
      {assignments.data === null && assignments.error === null && <p role="status">Loading assignments…</p>}
      {assignments.data && <AssignmentsTable items={assignments.data.assignments} selected={selected} onSelect={setSelected} />}
      {current && <EvidencePanel key={selected} credential={credential} session={session} assignment={current} onChanged={refresh} />}
      <Rewards credential={credential} />
      <Beacons credential={credential} windows={beacons.data?.beacons ?? null} error={beacons.error} onChanged={beacons.reload} />
    </>
  );
}

function AssignmentsTable({ items, selected, onSelect }: { items: Assignment[]; selected: string | null; onSelect: (key: string) => void }) {
  if (items.length === 0) return <p data-testid="no-assignments">No seats right now. Assignments appear here when a draw seats you on an assembly.</p>;
  return (
    <div className="table-scroll">
      <table className="assignments">
        <caption>Your seats in open assemblies</caption>
        <thead>
          <tr>
            <th scope="col">Assembly</th>
            <th scope="col">Round</th>
            <th scope="col">Phase</th>
            <th scope="col">Phase ends</th>
            <th scope="col">Deadlines (review / commit / reveal)</th>
            <th scope="col">Weight</th>
            <th scope="col">Your vote</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => {
            const key = `${a.assemblyId}:${a.round}`;
            return (
              <tr key={key} data-assembly={a.assemblyId} data-phase={a.phase} aria-selected={selected === key}>
                <th scope="row">
                  <code title={a.assemblyId}>{a.assemblyId.slice(0, 8)}</code>
                </th>
                <td>{a.round}</td>
                <td>{a.phase}</td>
                <td>
                  {formatTime(a.phaseEndsAt)} <span className="muted">({formatRelative(a.phaseEndsAt)})</span>
                </td>
                <td className="deadlines">
                  {formatTime(a.deadlines.review)}
                  <br />
                  {formatTime(a.deadlines.commit)}
                  <br />
                  {formatTime(a.deadlines.reveal)}
                </td>
                <td>{a.weight}</td>
                <td data-testid="vote-state">{a.revealed ? "revealed" : a.committed ? "committed" : "not committed"}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => onSelect(key)} aria-label={`Review assembly ${a.assemblyId.slice(0, 8)} round ${a.round}`}>
                    Review
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Every page of the history, up to a bound (the plot needs them all; 5 pages of 500 settlements is years of seats). */
async function loadHistory(credential: Credential): Promise<AgentHistory> {
  let page = await agentApi.history(credential);
  const points = [...page.points];
  for (let i = 1; i < 5 && page.nextCursor; i++) {
    page = await agentApi.history(credential, page.nextCursor);
    points.push(...page.points);
  }
  return { ...page, points, nextCursor: page.nextCursor };
}

function Profile({ me, credential }: { me: Me; credential: Credential }) {
  // Reloads with the validator record (Refresh), so the plot follows a settlement.
  const history = useLoad(() => loadHistory(credential), [me]);
  const series = history.data ? historySeries(history.data) : null;
  return (
    <>
      <dl className="facts" data-testid="validator-profile">
        <dt>Standing</dt>
        <dd data-testid="standing">{me.standing}</dd>
        <dt>Reputation</dt>
        <dd>{formatBps(me.reputationBps)}</dd>
        <dt>Stake (weighed by draws)</dt>
        <dd>{me.stake}</dd>
        <dt>Declared stake</dt>
        <dd>{me.declaredStake}</dd>
        <dt>Kind</dt>
        <dd>
          {me.kind}
          {me.modelFamily ? ` (${me.modelFamily})` : ""}
        </dd>
      </dl>
      {me.standing === "pending" && <p className="notice">Your validator is pending: an operator approves it (or the stake indexer admits it) before any draw can seat you.</p>}
      <h2>Reputation and stake</h2>
      <ErrorMessage error={history.error} context="Could not load your history" />
      {history.data === null && history.error === null && <p role="status">Loading history…</p>}
      {history.data && series && history.data.points.length === 0 && <p className="muted">No settled seats yet: the history starts with your first tallied assembly.</p>}
      {history.data && series && history.data.points.length > 0 && (
        <div className="history-charts" data-testid="history">
          <HistoryChart title="Reputation" points={series.reputation} format={(v) => formatBps(v, 2)} min={0} max={10_000} />
          <HistoryChart title="Stake" points={series.stake} format={(v) => String(Math.round(v))} min={0} />
          <div className="table-scroll">
            <table className="history">
              <caption>
                Latest settlements ({Math.min(20, history.data.points.length)} of {history.data.points.length}
                {history.data.nextCursor ? "+" : ""})
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Assembly</th>
                  <th scope="col">Role</th>
                  <th scope="col">Reputation</th>
                  <th scope="col">Stake</th>
                  <th scope="col">Slashed</th>
                  <th scope="col">Reward</th>
                </tr>
              </thead>
              <tbody>
                {history.data.points.slice(0, 20).map((e) => (
                  <tr key={`${e.assemblyId}:${e.round}`}>
                    <td>{formatTime(e.at)}</td>
                    <td>
                      <code>{e.assemblyId.slice(0, 8)}</code> r{e.round}
                    </td>
                    <td>{e.role}</td>
                    <td>
                      {formatBps(e.reputationBefore, 2)} → {formatBps(e.reputationAfter, 2)}
                    </td>
                    <td>
                      {e.stakeBefore} → {e.stakeAfter}
                    </td>
                    <td>{e.stakeSlashed}</td>
                    <td>{e.reward}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}

/** Payable balance (credits owed, on the Treasury, withdrawn): shown only where the API has the validator payables route. */
function Rewards({ credential }: { credential: Credential }) {
  const rewards = useLoad(() => agentApi.rewards(credential), [credential.kind === "session" ? credential.token : ""]);
  if (rewards.error) return <ErrorMessage error={rewards.error} context="Could not load your rewards" />;
  const r = rewards.data;
  if (!r) return null;
  const amount = (key: string) => (typeof r[key] === "number" ? `${r[key] as number} ${typeof r.currency === "string" ? r.currency : ""}`.trim() : "–");
  return (
    <>
      <h2>Rewards</h2>
      <dl className="facts" data-testid="rewards">
        <dt>Payable (owed to you)</dt>
        <dd>{amount("payable")}</dd>
        <dt>On the Treasury, not withdrawn</dt>
        <dd>{amount("onChain")}</dd>
        <dt>Withdrawn</dt>
        <dd>{amount("withdrawn")}</dd>
      </dl>
    </>
  );
}

function Beacons({ credential, windows, error, onChanged }: { credential: Credential; windows: BeaconWindow[] | null; error: unknown; onChanged: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  if (error) return <ErrorMessage error={error} context="Could not load beacon windows" />;
  if (!windows || windows.length === 0) return null;
  const contribute = async (assemblyId: string) => {
    setFailure(null);
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const value = `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    try {
      await agentApi.contributeBeacon(credential, assemblyId, value);
      onChanged();
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <>
      <h2>Draw beacons</h2>
      <p className="muted">Add 32 random bytes (made in this browser) to the beacon that will seed an assembly's draw: nobody, the platform included, can then predict it.</p>
      <ErrorMessage error={failure} context="Contribution refused" />
      <ul>
        {windows.map((w) => (
          <li key={w.assemblyId}>
            Assembly <code>{w.assemblyId.slice(0, 8)}</code>, window closes {formatTime(w.windowEndsAt)}:{" "}
            {w.contributed ? (
              "contributed"
            ) : (
              <button type="button" className="secondary" onClick={() => void contribute(w.assemblyId)}>
                Contribute randomness
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

