// One seat: the assembly's evidence (the audit report's summary, per-claim
// status, findings, per-scenario metrics and drift plots, the digests and the
// command that re-runs the audit locally), the vote with a verdict per claim,
// its commitment (salt made and kept in this browser, offered as a file), and
// the reveal (with the kept ballot or an uploaded one).
import { useEffect, useState } from "react";
import { findingKey, type AssemblyEvidence, type AssignmentsSchema, type ClaimVerdict, type FindingOpinion, type Verdict, type VoteBallotFile } from "@assay/protocol";
import type { z } from "zod";
import { agentApi, type Credential } from "../api/client";
import { DriftCharts } from "../charts/DriftChart";
import { trajectoriesFromReport } from "../charts/drift-series";
import { ClaimsTable } from "../developer/ClaimsTable";
import { FindingsTable } from "../developer/FindingsTable";
import { formatMetricValue, formatRelative, formatTime } from "../format";
import { ErrorMessage } from "../ui/ErrorMessage";
import { ballotFileName, loadBallot, makeBallot, readBallotFile, revealBodyOf, saveBallot } from "./ballots";
import { download } from "./keys";
import type { Session } from "./ValidatorPortal";

type Assignment = z.infer<typeof AssignmentsSchema>["assignments"][number];

/** The command that re-runs the audit on the validator's own machine; its report digest must equal the one the assembly reviews. */
export function revalidateCommand(evidence: Pick<AssemblyEvidence, "suite" | "seed">): string {
  return `npx assay validate <runtime-dir> --suite ${evidence.suite.id} --seed ${evidence.seed} --json`;
}

export function EvidencePanel({ credential, session, assignment, onChanged }: { credential: Credential; session: Session; assignment: Assignment; onChanged: () => void }) {
  const [evidence, setEvidence] = useState<AssemblyEvidence | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    agentApi.evidence(credential, assignment.assemblyId).then(
      (e) => live && setEvidence(e),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [assignment.assemblyId]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="panel evidence" aria-labelledby="evidence-heading" data-testid="evidence">
      <h2 id="evidence-heading">
        Assembly <code>{assignment.assemblyId.slice(0, 8)}</code>, round {assignment.round} — {assignment.phase}
      </h2>
      <ErrorMessage error={error} context="Could not load the evidence" />
      {evidence === null && error === null && <p role="status">Loading evidence…</p>}
      {evidence && <Evidence evidence={evidence} />}
      {evidence && <Ballot credential={credential} session={session} assignment={assignment} evidence={evidence} onChanged={onChanged} />}
    </section>
  );
}

function Evidence({ evidence }: { evidence: AssemblyEvidence }) {
  const trajectories = trajectoriesFromReport(evidence);
  return (
    <>
      <dl className="facts">
        <dt>Runtime</dt>
        <dd>
          {evidence.subject.name} {evidence.subject.version}
        </dd>
        <dt>Artifact (subject) digest</dt>
        <dd>
          <code data-testid="subject-digest">{evidence.subject.digest}</code>
        </dd>
        <dt>Audit report digest</dt>
        <dd>
          <code data-testid="report-digest">{evidence.reportDigest}</code>
        </dd>
        <dt>Audit verdict</dt>
        <dd className={evidence.auditVerdict === "pass" ? "pass" : "fail"}>{evidence.auditVerdict}</dd>
        <dt>Suite, seed, engine</dt>
        <dd>
          {evidence.suite.id} v{evidence.suite.version}, seed {evidence.seed}, {evidence.engine.name} {evidence.engine.version}
        </dd>
      </dl>
      <h3>Re-run the audit yourself</h3>
      <p>
        With the runtime's sources (their subject digest must be the one above), the same engine gives the same report, byte for byte. Compare the{" "}
        <code>digest</code> it prints with the report digest above:
      </p>
      <pre data-testid="revalidate-command">{revalidateCommand(evidence)}</pre>
      <div className="table-scroll">
        <ClaimsTable claims={evidence.claims} />
      </div>
      <div className="table-scroll">
        <FindingsTable findings={evidence.findings} />
      </div>
      {evidence.metrics.length > 0 && (
        <div className="table-scroll">
        <table className="metrics">
          <caption>Report metrics</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
              <th scope="col">Validity</th>
            </tr>
          </thead>
          <tbody>
            {evidence.metrics.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <code>{m.id}</code>
                </th>
                <td>{formatMetricValue(m.value, m.unit)}</td>
                <td>{m.validity}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <h3>Scenarios</h3>
      {evidence.scenarios.length === 0 ? (
        <p className="muted">The report lists no scenarios.</p>
      ) : (
        <div className="table-scroll">
          <table className="scenarios">
            <caption>Per-scenario summaries</caption>
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Turns</th>
                <th scope="col">Completed</th>
                <th scope="col">Metrics</th>
              </tr>
            </thead>
            <tbody>
              {evidence.scenarios.map((s) => (
                <tr key={s.id} data-scenario={s.id}>
                  <th scope="row">
                    {s.title} <span className="check-name">{s.id}</span>
                  </th>
                  <td>{s.turns}</td>
                  <td>{s.completed ? "yes" : "no"}</td>
                  <td>
                    {s.metrics.map((m) => (
                      <span key={m.id} className="metric-chip">
                        <code>{m.id}</code> {formatMetricValue(m.value, m.unit)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {trajectories.length > 0 ? (
        <DriftCharts trajectories={trajectories} />
      ) : (
        <p className="muted" data-testid="no-drift-series">
          This evidence carries no per-turn DI series, so there are no drift plots; re-run the audit locally to see every turn.
        </p>
      )}
    </>
  );
}

function Ballot({ credential, session, assignment, evidence, onChanged }: { credential: Credential; session: Session; assignment: Assignment; evidence: AssemblyEvidence; onChanged: () => void }) {
  const [ballot, setBallot] = useState<VoteBallotFile | null>(() => loadBallot(session.validatorId, assignment.assemblyId, assignment.round));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const canCommit = (assignment.phase === "review" || assignment.phase === "commit") && !assignment.committed;
  const canReveal = assignment.phase === "reveal" && assignment.committed && !assignment.revealed;

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await work());
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const commit = (vote: Parameters<typeof makeBallot>[0]["vote"]) =>
    act(async () => {
      const made = makeBallot({ validatorId: session.validatorId, assemblyId: assignment.assemblyId, round: assignment.round, vote });
      // Kept before it is sent: if the answer is lost, the salt is not.
      saveBallot(made);
      setBallot(made);
      await agentApi.commit(credential, { assemblyId: made.assemblyId, round: made.round, commitment: made.commitment });
      return `Committed ${made.commitment}. Your vote and salt stay in this browser until you reveal; download the salt file to keep a copy.`;
    });

  const reveal = (kept: VoteBallotFile) =>
    act(async () => {
      await agentApi.reveal(credential, revealBodyOf(kept));
      return "Revealed: the server checked your vote against your commitment and recorded it.";
    });

  return (
    <section aria-labelledby="ballot-heading" className="ballot">
      <h3 id="ballot-heading">Your vote</h3>
      <p className="muted">
        {`Commit by ${formatTime(assignment.deadlines.commit)} (${formatRelative(assignment.deadlines.commit)}); reveal by ${formatTime(assignment.deadlines.reveal)} (${formatRelative(assignment.deadlines.reveal)}).`}
      </p>
      {done && (
        <p role="status" className="notice ok" data-testid="ballot-result">
          {done}
        </p>
      )}
      <ErrorMessage error={error} context="Refused" />
      {canCommit && <VoteForm evidence={evidence} busy={busy} onCommit={(vote) => void commit(vote)} />}
      {ballot && (
        <p className="row">
          <span>
            Ballot kept in this browser: commitment <code data-testid="kept-commitment">{ballot.commitment.slice(0, 18)}…</code>.
            {!assignment.revealed && " Clearing this browser's data before the reveal loses it: keep the salt file."}
          </span>
          <button type="button" className="secondary" onClick={() => download(ballotFileName(ballot), `${JSON.stringify(ballot, null, 2)}\n`)}>
            Download salt file
          </button>
        </p>
      )}
      {assignment.committed && !assignment.revealed && !canReveal && <p>Committed. The reveal opens when the commit phase ends.</p>}
      {canReveal && (
        <div className="reveal">
          {ballot ? (
            <button type="button" disabled={busy} onClick={() => void reveal(ballot)}>
              Reveal my vote
            </button>
          ) : (
            <>
              <p>This browser holds no ballot for this seat. Upload the salt file you downloaded at commit time.</p>
              <label htmlFor="ballot-file">Salt file</label>
              <input
                id="ballot-file"
                type="file"
                accept=".json,application/json"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  void file.text().then((text) => {
                    try {
                      const read = readBallotFile(text, { validatorId: session.validatorId, assemblyId: assignment.assemblyId, round: assignment.round });
                      saveBallot(read);
                      setBallot(read);
                      setError(null);
                    } catch (err) {
                      setError(err);
                    }
                  });
                }}
              />
            </>
          )}
        </div>
      )}
      {assignment.revealed && <p data-testid="revealed">Revealed. The tally follows when the reveal phase closes.</p>}
    </section>
  );
}

type VoteDraft = { verdict: Verdict; stabilityScore: number; claims: Record<string, ClaimVerdict>; findingOpinions: Record<string, FindingOpinion>; notes: string };

function VoteForm({ evidence, busy, onCommit }: { evidence: AssemblyEvidence; busy: boolean; onCommit: (vote: { verdict: Verdict; stabilityScore: number; claims: Record<string, ClaimVerdict>; findingOpinions: Record<string, FindingOpinion>; notes?: string }) => void }) {
  const keys = [...new Set(evidence.findings.map((f) => findingKey(f)))].sort();
  const [draft, setDraft] = useState<VoteDraft>(() => ({
    verdict: evidence.auditVerdict === "pass" ? "certify" : "reject",
    stabilityScore: 5_000,
    claims: Object.fromEntries(evidence.claims.map((c) => [c.srip, c.status === "evidenced" ? "grant" : "deny"])),
    findingOpinions: Object.fromEntries(keys.map((k) => [k, "confirm"])),
    notes: "",
  }));
  return (
    <form
      className="vote-form"
      onSubmit={(e) => {
        e.preventDefault();
        onCommit({ verdict: draft.verdict, stabilityScore: draft.stabilityScore, claims: draft.claims, findingOpinions: draft.findingOpinions, ...(draft.notes.trim() ? { notes: draft.notes } : {}) });
      }}
    >
      <fieldset>
        <legend>Verdict per claim</legend>
        {evidence.claims.length === 0 && <p className="muted">The runtime claims no SRIP.</p>}
        {evidence.claims.map((c) => (
          <div key={c.srip} className="row" data-claim={c.srip}>
            <label htmlFor={`claim-${c.srip}`}>
              {c.srip} <span className="muted">({c.status})</span>
            </label>
            <select id={`claim-${c.srip}`} value={draft.claims[c.srip]} onChange={(e) => setDraft({ ...draft, claims: { ...draft.claims, [c.srip]: e.target.value as ClaimVerdict } })}>
              {/* A claim the audit does not evidence cannot be granted by any vote. */}
              <option value="grant" disabled={c.status !== "evidenced"}>
                grant
              </option>
              <option value="deny">deny</option>
            </select>
          </div>
        ))}
      </fieldset>
      {keys.length > 0 && (
        <fieldset>
          <legend>Findings</legend>
          {keys.map((k) => (
            <div key={k} className="row">
              <label htmlFor={`finding-${k}`}>
                <code>{k}</code>
              </label>
              <select id={`finding-${k}`} value={draft.findingOpinions[k]} onChange={(e) => setDraft({ ...draft, findingOpinions: { ...draft.findingOpinions, [k]: e.target.value as FindingOpinion } })}>
                <option value="confirm">confirm</option>
                <option value="dispute">dispute</option>
              </select>
            </div>
          ))}
        </fieldset>
      )}
      <fieldset>
        <legend>Overall</legend>
        <label htmlFor="vote-verdict">Verdict</label>
        <select id="vote-verdict" value={draft.verdict} onChange={(e) => setDraft({ ...draft, verdict: e.target.value as Verdict })}>
          <option value="certify">certify</option>
          <option value="reject">reject</option>
        </select>
        <label htmlFor="vote-stability">Stability score (0–10000 basis points)</label>
        <input id="vote-stability" type="number" min={0} max={10_000} step={1} value={draft.stabilityScore} onChange={(e) => setDraft({ ...draft, stabilityScore: Math.max(0, Math.min(10_000, Math.trunc(Number(e.target.value) || 0))) })} />
        <label htmlFor="vote-notes">Notes (optional, bound by the commitment)</label>
        <textarea id="vote-notes" maxLength={4_000} aria-describedby="vote-notes-public" value={draft.notes} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />
        {/* Decision 0031: the finished assembly's record, with every reveal, is served on the public plane. */}
        <p id="vote-notes-public" className="muted" data-testid="notes-public-notice">
          Public: when the assembly finishes, your reveal — verdicts, salt and these notes — is published in the certificate&apos;s assembly record, which anyone can
          read. Write nothing here you would not sign publicly.
        </p>
      </fieldset>
      <p>
        <button type="submit" disabled={busy}>
          Commit vote
        </button>
      </p>
    </form>
  );
}
