// Usage: the developer's metered usage per day over the last 14 days, one kind
// at a time (model input/output tokens, sandbox CPU ms, storage bytes, assembly seats), as a
// bar chart with the same numbers in a table for screen readers and keyboards.
import { useId, useState } from "react";
import { developerApi, type Credential } from "../api/client";
import { ProblemNote } from "./ProblemNote";
import { useLoad } from "./use-load";

const DAYS = 14;
const KIND_LABELS: Record<string, string> = {
  model_input_tokens: "Model input tokens",
  model_output_tokens: "Model output tokens",
  sandbox_cpu_ms: "Sandbox CPU (ms)",
  storage_bytes: "Storage (bytes)",
  assembly_seats: "Assembly seats",
};

type Day = { day: string; totals: Record<string, string> };

async function loadDays(credential: Credential): Promise<{ days: Day[]; total: Record<string, string> }> {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const starts = Array.from({ length: DAYS }, (_, i) => new Date(today.getTime() - (DAYS - 1 - i) * 86_400_000));
  const [total, ...days] = await Promise.all([
    developerApi.usage(credential),
    ...starts.map((from) => developerApi.usage(credential, { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() })),
  ]);
  return { total: total!, days: days.map((totals, i) => ({ day: starts[i]!.toISOString().slice(0, 10), totals })) };
}

export function UsageScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const usage = useLoad(() => loadDays(credential), [credential]);
  const kinds = Object.keys({ ...KIND_LABELS, ...(usage.data?.total ?? {}) });
  const [kind, setKind] = useState<string>("sandbox_cpu_ms");
  const values = (usage.data?.days ?? []).map((d) => ({ day: d.day, value: Number(d.totals[kind] ?? "0") }));
  const max = Math.max(1, ...values.map((v) => v.value));
  const anything = values.some((v) => v.value > 0);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Usage</h2>
      <ProblemNote error={usage.error} context="Could not read your usage" />
      {usage.loading && usage.data === null && <p role="status">Loading usage…</p>}
      {usage.data && (
        <>
          <dl className="dev-balance">
            {kinds.map((k) => (
              <div key={k}>
                <dt>{KIND_LABELS[k] ?? k} (all time)</dt>
                <dd>{usage.data!.total[k] ?? "0"}</dd>
              </div>
            ))}
          </dl>
          <label htmlFor={`${id}-kind`}>Show per day</label>{" "}
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k] ?? k}
              </option>
            ))}
          </select>
          {!anything && <p className="dev-empty">No {KIND_LABELS[kind] ?? kind} in the last {DAYS} days. Usage appears once your submissions are audited.</p>}
          <figure className="dev-plot">
            <svg viewBox={`0 0 ${DAYS * 20} 110`} role="img" aria-label={`${KIND_LABELS[kind] ?? kind} per day, last ${DAYS} days (the table below has the numbers)`} preserveAspectRatio="none">
              <line x1="0" y1="100" x2={DAYS * 20} y2="100" className="dev-plot-axis" />
              {values.map((v, i) => {
                const h = (v.value / max) * 95;
                return <rect key={v.day} x={i * 20 + 3} y={100 - h} width="14" height={h} className="dev-plot-bar" />;
              })}
            </svg>
            <figcaption className="muted">
              {values[0]?.day} to {values.at(-1)?.day}, UTC days; tallest bar {max}.
            </figcaption>
          </figure>
          <details>
            <summary>Numbers per day</summary>
            <div className="dev-scroll">
              <table className="dev-table">
                <caption>{KIND_LABELS[kind] ?? kind} per day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day (UTC)</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {values.map((v) => (
                    <tr key={v.day}>
                      <th scope="row">{v.day}</th>
                      <td className="num">{v.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
