// Usage per developer over a period, paged and searched by the API (decision
// 0032), with a CSV export of every developer's numbers for the period.
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useCursorPages } from "../ui/useCursorPages";
import { ResourceView } from "../ui/useResource";
import { downloadText, localToIso } from "./form-values";

export function UsageScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [csvDone, setCsvDone] = useState<string | null>(null);
  // The developer search the API applies (exact id or part of the e-mail), and the draft in the form until "Show usage".
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const { resource: usage, paging } = useCursorPages(
    async (page) => {
      const answer = await operatorConsoleApi.usage(credential, range, { ...page, q: q || undefined });
      return { rows: answer.developers, nextCursor: answer.nextCursor };
    },
    [credential, range.from, range.to, q],
    25,
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = { ...(from ? { from: localToIso(from) } : {}), ...(to ? { to: localToIso(to) } : {}) };
    if (next.from && next.to && Date.parse(next.from) >= Date.parse(next.to)) return setFormError(new Error("“From” must be before “to”."));
    setFormError(null);
    setRange(next);
    setQ(search.trim());
  };
  const exportCsv = async () => {
    setCsvError(null);
    setCsvDone(null);
    try {
      const text = await operatorConsoleApi.usageCsv(credential, range);
      downloadText(`assay-usage${range.from ? `-from-${range.from.slice(0, 10)}` : ""}${range.to ? `-to-${range.to.slice(0, 10)}` : ""}.csv`, text, "text/csv");
      setCsvDone(`Exported ${Math.max(0, text.trim().split("\n").length - 1)} developer row(s) as CSV.`);
    } catch (e) {
      setCsvError(e);
    }
  };

  return (
    <>
      <form className="operator-filters" onSubmit={apply} noValidate aria-label="Usage period">
        <div>
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-to`}>To (exclusive)</label>
          <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-q`}>Developer (id, or part of the e-mail)</label>
          <input id={`${id}-q`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <button type="submit">Show usage</button>
        <button type="button" className="secondary" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      <ErrorNotice error={formError} context="Period not applied" />
      <ErrorNotice error={csvError} context="CSV not exported" />
      {csvDone && (
        <p role="status" className="ok">
          {csvDone}
        </p>
      )}
      <ResourceView resource={usage} what="usage">
        {(data) => {
          const kinds = Array.from(new Set(data.rows.flatMap((d) => Object.keys(d.totals)))).sort();
          return (
            <DataTable
              caption={`Usage per developer${range.from || range.to ? ` (${range.from ?? "start"} to ${range.to ?? "now"})` : " (all time)"}${q ? `, developers matching “${q}”` : ""}`}
              server={paging}
              rows={data.rows}
              rowKey={(d) => d.developerId}
              empty={q ? "No developer matching this search has usage in this period." : "No usage in this period. Widen the period or clear it."}
              columns={[
                { header: "Developer", rowHeader: true, cell: (d) => <code>{d.developerId}</code>, text: (d) => d.developerId },
                ...kinds.map((k) => ({ header: k.replace(/_/g, " "), numeric: true, cell: (d: (typeof data.rows)[number]) => d.totals[k] ?? "0" })),
              ]}
            />
          );
        }}
      </ResourceView>
    </>
  );
}
