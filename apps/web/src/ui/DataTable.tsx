// A table that filters (one text box over every column's text) and paginates
// (previous / next, page size), with its empty state. Generic: each column says
// how to render a cell and, for filtering, what text the cell stands for.
// With `server` the API pages and filters (decision 0032): the rows are one page
// as the API answered it, previous / next follow its cursors, and the screen
// shows its own filter controls (sent to the API), so there is no text box here.
import { useId, useMemo, useState, type ReactNode } from "react";
import type { ServerPaging } from "./useCursorPages";

export type DataColumn<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** The text the filter matches (default: none for this column). */
  text?: (row: T) => string;
  numeric?: boolean;
  /** Render the cell as the row's header (th scope=row). */
  rowHeader?: boolean;
};

export type DataTableProps<T> = {
  caption: string;
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowKey: (row: T) => string;
  /** Extra attributes per row (e.g. data-* for tests and styling). */
  rowProps?: (row: T) => Record<string, string>;
  pageSize?: number;
  /** What to say when there are no rows at all. */
  empty: ReactNode;
  /** A class for the <table> element (styling, tests). */
  tableClassName?: string;
  /** Paging by the API (useCursorPages): `rows` is the current page. */
  server?: ServerPaging;
};

const PAGE_SIZES = [5, 10, 25, 50];

export function DataTable<T>(props: DataTableProps<T>) {
  return props.server ? <ServerPagedTable {...props} server={props.server} /> : <ClientPagedTable {...props} />;
}

function ServerPagedTable<T>({ caption, rows, columns, rowKey, rowProps, empty, tableClassName, server }: DataTableProps<T> & { server: ServerPaging }) {
  const id = useId();
  if (rows.length === 0 && server.page === 0) return <p className="data-empty">{empty}</p>;
  return (
    <div className="data-table" data-paging="server">
      <div className="data-table-tools">
        <div>
          <label htmlFor={`${id}-size`}>Rows per page</label>
          <select id={`${id}-size`} value={server.pageSize} onChange={(e) => server.onPageSize(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Table id={id} caption={caption} rows={rows} columns={columns} rowKey={rowKey} rowProps={rowProps} tableClassName={tableClassName} />
      <nav className="data-table-pages" aria-label={`Pages of ${caption.toLowerCase()}`}>
        <button type="button" className="secondary" onClick={server.onPrevious} disabled={!server.hasPrevious}>
          Previous page
        </button>
        {/* data-page only once the page's rows are shown (tests and styling wait for it). */}
        <span aria-live="polite" aria-busy={server.loading} {...(server.loading ? {} : { "data-page": String(server.page + 1) })}>
          {server.loading ? `Loading page ${server.page + 1}…` : `Page ${server.page + 1}${server.hasNext ? "" : " (last)"}, ${rows.length} ${rows.length === 1 ? "row" : "rows"}`}
        </span>
        <button type="button" className="secondary" onClick={server.onNext} disabled={!server.hasNext}>
          Next page
        </button>
      </nav>
    </div>
  );
}

function Table<T>({ id, caption, rows, columns, rowKey, rowProps, tableClassName }: Pick<DataTableProps<T>, "caption" | "columns" | "rowKey" | "rowProps" | "tableClassName"> & { id: string; rows: readonly T[] }) {
  return (
    // Why: a wide table scrolls inside this region on a narrow screen; focusable so keyboard users can scroll it.
    <div className="data-table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className={tableClassName}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...(rowProps?.(row) ?? {})}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row">
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={c.numeric ? "num" : undefined}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ClientPagedTable<T>({ caption, rows, columns, rowKey, rowProps, pageSize: initialSize = 10, empty, tableClassName }: DataTableProps<T>) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(initialSize);
  const filtered = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (!needle) return rows;
    return rows.filter((row) => columns.some((c) => c.text?.(row).toLowerCase().includes(needle)));
  }, [rows, columns, filter]);
  const pages = Math.max(1, Math.ceil(filtered.length / pageSize));
  const current = Math.min(page, pages - 1);
  const visible = filtered.slice(current * pageSize, current * pageSize + pageSize);

  if (rows.length === 0) return <p className="data-empty">{empty}</p>;
  return (
    <div className="data-table">
      <div className="data-table-tools">
        <div>
          <label htmlFor={`${id}-filter`}>Filter {caption.toLowerCase()}</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setPage(0);
            }}
            placeholder="Type to filter"
          />
        </div>
        <div>
          <label htmlFor={`${id}-size`}>Rows per page</label>
          <select
            id={`${id}-size`}
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number(e.target.value));
              setPage(0);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Table id={id} caption={caption} rows={visible} columns={columns} rowKey={rowKey} rowProps={rowProps} tableClassName={tableClassName} />
      {filtered.length === 0 && <p className="data-empty">Nothing matches “{filter}”. Clear the filter to see all {rows.length}.</p>}
      <nav className="data-table-pages" aria-label={`Pages of ${caption.toLowerCase()}`}>
        <button type="button" className="secondary" onClick={() => setPage(current - 1)} disabled={current === 0}>
          Previous page
        </button>
        <span aria-live="polite">
          Page {current + 1} of {pages} ({filtered.length} {filtered.length === 1 ? "row" : "rows"})
        </span>
        <button type="button" className="secondary" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
          Next page
        </button>
      </nav>
    </div>
  );
}
