// A quote: pick the runtime's files (sigma-runtime.json and the built entry; the
// same files `assay submit` packs) and see what auditing it would cost now.
// Nothing is written. The quote is also `assay submit --quote`.
import { useId, useState, type FormEvent } from "react";
import type { Quote } from "@assay/protocol";
import { developerApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { ProblemNote } from "./ProblemNote";
import { sessionEnded } from "./session";

const MANIFEST = "sigma-runtime.json";

async function packFiles(files: FileList): Promise<{ manifest: unknown; files: { path: string; contentBase64: string }[] }> {
  const packed: { path: string; contentBase64: string }[] = [];
  let manifest: unknown = undefined;
  for (const file of Array.from(files)) {
    // A folder pick gives "dir/sub/file"; the runtime's paths are relative to the folder.
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
    const path = relative ? relative.split("/").slice(1).join("/") : file.name;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    packed.push({ path, contentBase64: btoa(binary) });
    if (path === MANIFEST) {
      try {
        manifest = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new Error(`${MANIFEST} is not valid JSON; fix it (assay validate shows where) and pick the files again.`);
      }
    }
  }
  if (manifest === undefined) throw new Error(`Include ${MANIFEST} among the files: the quote depends on the manifest's suite and claims.`);
  return { manifest, files: packed };
}

export function QuoteScreen({ credential }: { credential: Credential }) {
  const id = useId();
  const [files, setFiles] = useState<FileList | null>(null);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setQuote(null);
    if (!files || files.length === 0) {
      setError(new Error(`Choose the runtime's files first (${MANIFEST} and the built entry file).`));
      return;
    }
    setBusy(true);
    try {
      setQuote(await developerApi.quote(credential, await packFiles(files)));
    } catch (e) {
      if (!sessionEnded(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Quote</h2>
      <p className="muted">
        What an audit of your runtime would cost now, before you submit. From a terminal: <code>assay submit &lt;dir&gt; --quote</code>.
      </p>
      <form className="dev-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-files`}>Runtime files</label>
        <input id={`${id}-files`} type="file" multiple aria-describedby={`${id}-files-help`} onChange={(e) => setFiles(e.target.files)} />
        <p id={`${id}-files-help`} className="muted">
          Select {MANIFEST} and the built entry file (and any other files of the runtime). They stay in your browser except for this quote request.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? "Quoting…" : "Get quote"}
        </button>
      </form>
      <ProblemNote error={error} context="No quote" />
      {quote && (
        <div className="dev-quote" data-testid="quote">
          <p>
            <strong data-quote-total={quote.total}>{quote.total} credits</strong> (catalogue version {quote.catalogueVersion}
            {quote.campaign ? `, campaign ${quote.campaign.name}` : ""}), valid until{" "}
            {formatTime(quote.expiresAt)}.
          </p>
          <div className="dev-scroll">
            <table className="dev-table">
              <caption>Quote lines</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Detail</th>
                  <th scope="col" className="num">
                    Credits
                  </th>
                </tr>
              </thead>
              <tbody>
                {quote.lines.map((line, i) => (
                  <tr key={i}>
                    <th scope="row">{line.kind}</th>
                    <td>{line.detail}</td>
                    <td className="num">{line.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
