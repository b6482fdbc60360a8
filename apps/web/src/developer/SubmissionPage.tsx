// One submission: live status over the server-sent-event stream (state
// timeline, scenario progress, per-turn DI), then the report's claims, findings
// and metrics, and the certificate.
import { AuditReportSchema, REPORT_FORMAT, type AuditReport } from "@assay/protocol";
import { useEffect, useState } from "react";
import { ApiError, readableError } from "../api/errors";
import { developerApi, followSubmissionEvents } from "../api/client";
import { DriftCharts } from "../charts/DriftChart";
import { Sparkline } from "../charts/Sparkline";
import { formatBps, formatMetricValue, formatTime } from "../format";
import { Link } from "../router";
import { ErrorMessage } from "../ui/ErrorMessage";
import { ProblemNote } from "./ProblemNote";
import type { Credential } from "../api/client";
import { SignedIn } from "./DeveloperPortal";
import { CertificateShare } from "./CertificateShare";
import { sessionEnded } from "./session";
import { ClaimsTable } from "./ClaimsTable";
import { FindingsTable } from "./FindingsTable";
import { applyEvent, emptyLiveState, isTerminal, withSubmission, type LiveState } from "./live-state";
import { StatusBadge } from "./StatusBadge";
import { FinishedAssembly, ReportVisibilityToggle, ScenarioList } from "./SubmissionReportParts";
import { submissionFigures } from "./submission-figures";

const POLL_INTERVAL_MS = 2000;

type StreamState = "connecting" | "open" | "ended" | "polling";

export function SubmissionPage({ id }: { id: string }) {
  return (
    <section className="dev" aria-label="Submission">
      <SignedIn>{(credential) => <SubmissionDetail id={id} credential={credential} />}</SignedIn>
    </section>
  );
}

function SubmissionDetail({ id, credential }: { id: string; credential: Credential }) {
  const [live, setLive] = useState<LiveState>(emptyLiveState);
  const [error, setError] = useState<unknown>(null);
  const [stream, setStream] = useState<{ state: StreamState; reason?: string }>({ state: "connecting" });
  const [report, setReport] = useState<{ report: AuditReport | null; raw: unknown; error: unknown; isPublic: boolean | null } | null>(null);
  const key = credential.kind === "api-key" ? credential.key : credential.kind === "cookie" ? credential.csrfToken : credential.token;

  useEffect(() => {
    const abort = new AbortController();
    let poller: ReturnType<typeof setInterval> | undefined;
    const refresh = async () => {
      const view = await developerApi.submission(credential, id);
      if (!abort.signal.aborted) setLive((s) => withSubmission(s, view));
      return view;
    };
    // Why polling: without the stream (older API, a proxy that buffers, a broken
    // connection) the page still follows the submission to its final state.
    const poll = (reason: string) => {
      setStream({ state: "polling", reason });
      poller = setInterval(() => {
        refresh().then(
          (view) => isTerminal(view.status) && clearInterval(poller),
          (e: unknown) => !abort.signal.aborted && setError(e),
        );
      }, POLL_INTERVAL_MS);
    };
    setError(null);
    setStream({ state: "connecting" });
    refresh().then(
      (view) => {
        if (abort.signal.aborted) return;
        if (isTerminal(view.status)) {
          setStream({ state: "ended" });
          return;
        }
        followSubmissionEvents(
          credential,
          id,
          (event) => {
            setStream((s) => (s.state === "open" ? s : { state: "open" }));
            setLive((s) => applyEvent(s, event));
          },
          abort.signal,
        ).then(
          async () => {
            if (abort.signal.aborted) return;
            // The final state is the server's record, read back once the stream ends.
            const final = await refresh().catch(() => null);
            if (abort.signal.aborted) return;
            if (final && !isTerminal(final.status)) poll("the event stream ended before the submission finished");
            else setStream({ state: "ended" });
          },
          (e: unknown) => !abort.signal.aborted && poll(readableError(e)),
        );
      },
      (e: unknown) => {
        if (abort.signal.aborted || sessionEnded(e)) return;
        setError(e);
        setStream({ state: "ended" });
      },
    );
    return () => {
      abort.abort();
      clearInterval(poller);
    };
  }, [id, key]); // eslint-disable-line react-hooks/exhaustive-deps

  const status = live.submission?.status;
  const terminal = isTerminal(status);
  useEffect(() => {
    if (!status || status === "received" || status === "auditing") return;
    let alive = true;
    developerApi.report(credential, id).then(
      (r) => {
        if (!alive) return;
        const parsed = AuditReportSchema.safeParse(r.report);
        setReport({
          report: parsed.success ? parsed.data : null,
          raw: r.report,
          error: parsed.success ? null : new Error(`the report does not match ${REPORT_FORMAT}`),
          isPublic: r.public ?? null,
        });
      },
      (e: unknown) => {
        if (!alive) return;
        // 404: no report (yet); shown as a note, not an error.
        setReport(e instanceof ApiError && e.status === 404 ? null : { report: null, raw: null, error: e, isPublic: null });
      },
    );
    return () => {
      alive = false;
    };
  }, [id, key, status]); // eslint-disable-line react-hooks/exhaustive-deps

  const s = live.submission;
  const progress = s?.progress ?? {};
  // One derivation for every figure on the page (submission-figures.ts).
  const figures = submissionFigures(progress, report?.report ?? null);
  return (
    <section aria-labelledby="submission-heading">
      <p className="dev-back">
        <Link to="/developer">← All submissions</Link>
      </p>
      <h1 id="submission-heading">
        Submission <code>{id}</code>
      </h1>
      <ProblemNote error={error} context="Could not load the submission" />
      {s && (
        <dl className="facts">
          <dt>Runtime</dt>
          <dd>
            {s.runtime.name} {s.runtime.version}
          </dd>
          <dt>Status</dt>
          <dd aria-live="polite">
            <StatusBadge status={s.status} />
            {s.outcome && (
              <span>
                {" "}
                {s.outcome.code}
                {s.outcome.message ? `: ${s.outcome.message}` : ""}
              </span>
            )}
          </dd>
          <dt>Suite / seed</dt>
          <dd>
            {s.suite} / {s.seed}
          </dd>
          <dt>Subject digest</dt>
          <dd>
            <code className="digest">{s.subjectDigest}</code>
          </dd>
          {s.certificateId && (
            <>
              <dt>Certificate</dt>
              <dd>
                <Link to={`/verify/${s.certificateId}`}>Verify certificate {s.certificateId.slice(0, 12)}…</Link>
              </dd>
            </>
          )}
        </dl>
      )}

      <section aria-labelledby="live-heading" className="live">
        <h2 id="live-heading">Live status</h2>
        <p className="muted" role="status">
          {stream.state === "connecting" && "Connecting to the event stream…"}
          {stream.state === "open" && `Event stream open (${live.events} events).`}
          {stream.state === "ended" && (terminal ? "The submission has finished." : "Live updates stopped.")}
          {stream.state === "polling" && `Live updates by polling every ${POLL_INTERVAL_MS / 1000} s (${stream.reason ?? "no event stream"}).`}
        </p>
        <ol className="timeline">
          {live.timeline.map((t, i) => (
            <li key={`${t.status}-${i}`}>
              <StatusBadge status={t.status} /> <time dateTime={t.at}>{formatTime(t.at)}</time>
            </li>
          ))}
        </ol>
        {figures.source === "live" && figures.scenarios && (
          <p>
            <label htmlFor="scenario-progress" data-testid="live-scenario-count">
              Scenarios {figures.scenarios.completed} of {figures.scenarios.total} (live)
              {progress.currentScenario ? ` — now ${progress.currentScenario}` : ""}
              {progress.currentTurn !== undefined ? `, turn ${progress.currentTurn}${progress.currentTurnsTotal ? ` of ${progress.currentTurnsTotal}` : ""}` : ""}
            </label>
            <progress id="scenario-progress" max={figures.scenarios.total} value={figures.scenarios.completed} />
          </p>
        )}
        {figures.source === "live" && figures.latestTurn && (
          <p>
            DI of the latest turn{figures.latestTurn.scenario ? ` (${figures.latestTurn.scenario}` : ""}
            {figures.latestTurn.scenario && figures.latestTurn.turn !== null ? `, turn ${figures.latestTurn.turn}` : ""}
            {figures.latestTurn.scenario ? ")" : ""}: measured {formatBps(figures.latestTurn.measuredBps)}, reported by the runtime {formatBps(figures.latestTurn.reportedBps)}
          </p>
        )}
        {figures.source === "report" && (
          <p data-testid="final-scenario-count">
            Scenarios: {figures.scenarios.completed} of {figures.scenarios.total} completed (from the audit report).
          </p>
        )}
        {live.assembly && !terminal && (
          <p>
            Assembly{live.assembly.round !== undefined ? ` round ${live.assembly.round}` : ""}
            {live.assembly.phase ? `, phase ${live.assembly.phase}` : ""}
            {live.assembly.seats !== undefined ? `, ${live.assembly.seats} seats` : ""}
            {live.assembly.committed !== undefined ? `, ${live.assembly.committed} committed` : ""}
            {live.assembly.revealed !== undefined ? `, ${live.assembly.revealed} revealed` : ""}
          </p>
        )}
        {live.measured.length > 0 && (
          <ul className="sparklines">
            {live.measured.map((t) => (
              <li key={t.scenario}>
                <span>{t.scenario}</span> <Sparkline points={t.points} label={`Measured DI, ${t.scenario}`} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {report && (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading">Audit report</h2>
          <ErrorMessage error={report.error} context="Could not load the report" />
          {report.report && (
            <>
              <p>
                Verdict <strong data-testid="report-verdict">{report.report.verdict}</strong>, suite {report.report.suite.id} {report.report.suite.version}, seed {report.report.seed},
                engine {report.report.engine.name} {report.report.engine.version}. Digest <code className="digest">{report.report.digest}</code>
              </p>
              <ClaimsTable claims={report.report.claims} />
              <FindingsTable findings={report.report.findings} />
              <table className="metrics">
                <caption>Metrics</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Value</th>
                    <th scope="col">Validity</th>
                  </tr>
                </thead>
                <tbody>
                  {report.report.metrics.map((m) => (
                    <tr key={m.id}>
                      <th scope="row">
                        <code>{m.id}</code>
                      </th>
                      <td className="num">{formatMetricValue(m.value, m.unit)}</td>
                      <td className={`validity-${m.validity}`}>{m.validity}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {figures.source === "report" && <ScenarioList figures={figures} />}
        </section>
      )}
      {terminal && live.assembly && <FinishedAssembly assembly={live.assembly} />}
      {report?.report && s?.certificateId && <ReportVisibilityToggle credential={credential} submissionId={id} initial={report.isPublic} />}
      {!report && terminal && <p className="muted">No audit report is available for this submission.</p>}
      {s?.certificateId && <CertificateShare credential={credential} submissionId={id} certificateId={s.certificateId} />}
      {live.measured.length > 0 && figures.source === "live" && (
        <section aria-labelledby="drift-live-heading">
          <h2 id="drift-live-heading">Drift per scenario (from the live stream)</h2>
          <DriftCharts trajectories={live.measured} />
        </section>
      )}
    </section>
  );
}
