// Pieces of a finished submission's page: the scenario list with one drift
// chart per scenario (from the report's per-turn series, decision 0030), the
// assembly that decided it, and the developer's public-report switch.
import { useState } from "react";
import { developerApi, type Credential } from "../api/client";
import { DriftCharts } from "../charts/DriftChart";
import { formatBps } from "../format";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import type { AssemblyProgress } from "./live-state";
import type { SubmissionFigures } from "./submission-figures";

type ReportFigures = Extract<SubmissionFigures, { source: "report" }>;

export function ScenarioList({ figures }: { figures: ReportFigures }) {
  return (
    <section aria-labelledby="scenarios-heading" data-testid="scenario-list">
      <h3 id="scenarios-heading">Scenarios</h3>
      <p>
        <span data-testid="scenario-count">
          {figures.scenarios.completed} of {figures.scenarios.total}
        </span>{" "}
        scenario runs completed. Composite drift index over the suite:{" "}
        <strong data-testid="composite-di">{formatBps(figures.compositeDiBps)}</strong>.
      </p>
      {/* Why tabIndex: on a narrow screen the table scrolls sideways (developer.css), and keyboard users must reach it. */}
      <table className="scenarios" tabIndex={0}>
          <caption id="scenarios-caption">Scenario runs in the report</caption>
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              <th scope="col">Seed</th>
              <th scope="col">Turns</th>
              <th scope="col">Completed</th>
              <th scope="col">Max DI</th>
              <th scope="col">Last DI</th>
              <th scope="col">Turns ≥ 0.5</th>
            </tr>
          </thead>
          <tbody>
            {figures.rows.map((r) => (
              <tr key={r.key} data-scenario={r.key}>
                <th scope="row">
                  {r.title} <code>{r.id}</code>
                </th>
                <td className="num">{r.seed}</td>
                <td className="num">{r.turns}</td>
                <td>{r.completed ? "yes" : "no"}</td>
                <td className="num">{formatBps(r.maxDiBps)}</td>
                <td className="num">{formatBps(r.lastDiBps)}</td>
                <td className="num">{r.turnsAtOrAbove5000 ?? "—"}</td>
              </tr>
            ))}
          </tbody>
      </table>
      {figures.charts.length > 0 ? (
        <>
          <h3>Drift per scenario</h3>
          <DriftCharts trajectories={figures.charts} />
        </>
      ) : (
        <p className="muted">This report carries no per-turn series (it was built before reports carried them), so there are no drift charts.</p>
      )}
    </section>
  );
}

export function FinishedAssembly({ assembly }: { assembly: AssemblyProgress }) {
  return (
    <section aria-labelledby="assembly-heading" data-testid="assembly">
      <h2 id="assembly-heading">Validator assembly</h2>
      <dl className="facts">
        <dt>Assembly</dt>
        <dd>
          <code>{assembly.id}</code>
        </dd>
        <dt>Round</dt>
        <dd>{assembly.round}</dd>
        <dt>Phase</dt>
        <dd>{assembly.phase}</dd>
        <dt>Seats</dt>
        <dd data-testid="assembly-seats">{assembly.seats}</dd>
        <dt>Committed / revealed</dt>
        <dd>
          {assembly.committed} / {assembly.revealed}
        </dd>
        <dt>Escalated to an operator</dt>
        <dd>{assembly.escalated ? "yes" : "no"}</dd>
      </dl>
    </section>
  );
}

/**
 * PUT …/report/visibility (decision 0030): the public certificate lookup carries
 * the report (and the verify page draws its drift plots) only while this is on.
 */
export function ReportVisibilityToggle({ credential, submissionId, initial }: { credential: Credential; submissionId: string; initial: boolean | null }) {
  const [isPublic, setPublic] = useState<boolean | null>(initial);
  const action = useConfirmedAction();
  const next = !(isPublic ?? false);
  return (
    <section aria-labelledby="visibility-heading" data-testid="report-visibility">
      <h2 id="visibility-heading">Public audit report</h2>
      <p data-testid="report-visibility-state" data-public={isPublic === null ? "unknown" : String(isPublic)}>
        {isPublic === null
          ? "This server does not say whether the report is public."
          : isPublic
            ? "The report is public: the certificate's verify page shows its drift plots to anyone."
            : "The report is private: the verify page shows the certificate without the report."}
      </p>
      <button
        type="button"
        className={next ? undefined : "secondary"}
        onClick={() =>
          action.ask({
            title: next ? "Make the audit report public?" : "Make the audit report private?",
            message: next
              ? "Anyone who looks up this certificate will see the full audit report: scenario transcripts' digests, findings and the per-turn drift series."
              : "The public certificate lookup will stop carrying the report. Copies already fetched stay wherever they are.",
            confirmLabel: next ? "Make public" : "Make private",
            failure: "The report's visibility did not change",
            run: async () => {
              const result = await developerApi.setReportVisibility(credential, submissionId, next);
              setPublic(result.public);
              return result.public ? "The audit report is now public." : "The audit report is now private.";
            },
          })
        }
      >
        {next ? "Make the report public…" : "Make the report private…"}
      </button>
      {action.dialog}
      {action.outcome}
    </section>
  );
}
