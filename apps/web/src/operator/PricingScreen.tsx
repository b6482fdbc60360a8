// The price catalogue: the version in force, an editor for a new version
// (suite prices and turn budgets, assembly prices, quote lifetime; the
// complexity steps as JSON), and every stored version. Publishing is confirmed;
// submissions keep the version they were priced with.
import { PriceCatalogueSchema, type PriceCatalogue } from "@assay/protocol";
import { useId, useState, type FormEvent } from "react";
import { operatorConsoleApi, type Credential } from "../api/client";
import { formatTime } from "../format";
import { DataTable } from "../ui/DataTable";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useConfirmedAction } from "../ui/useConfirmedAction";
import { ResourceView, useResource } from "../ui/useResource";

export function PricingScreen({ credential }: { credential: Credential }) {
  const current = useResource(() => operatorConsoleApi.catalogue(credential), [credential]);
  const versions = useResource(() => operatorConsoleApi.catalogueVersions(credential), [credential]);
  const action = useConfirmedAction(() => {
    current.reload();
    versions.reload();
  });
  return (
    <>
      {action.outcome}
      <ResourceView resource={current} what="the price catalogue">
        {(version) => (
          <>
            <p>
              Version <strong data-testid="catalogue-version">{version.version}</strong> is in force
              {version.version === 0 ? " (the built-in default)" : `, published by ${version.createdBy} on ${formatTime(version.createdAt)}`}.
            </p>
            <CatalogueEditor key={version.version} catalogue={version.catalogue} credential={credential} ask={action.ask} />
          </>
        )}
      </ResourceView>
      <h3>Versions</h3>
      <ResourceView resource={versions} what="catalogue versions">
        {(data) => (
          <DataTable
            caption="Catalogue versions, newest first"
            rows={data.versions}
            rowKey={(v) => String(v.version)}
            rowProps={(v) => ({ "data-version": String(v.version) })}
            empty="No version was published yet: the built-in default catalogue applies."
            columns={[
              { header: "Version", rowHeader: true, cell: (v) => v.version, text: (v) => String(v.version) },
              { header: "Suites", cell: (v) => v.catalogue.suites.map((s) => `${s.suite}@${s.version}: ${s.price}`).join(", "), text: (v) => v.catalogue.suites.map((s) => s.suite).join(" ") },
              { header: "Per seat", numeric: true, cell: (v) => v.catalogue.assembly.perSeat },
              { header: "By", cell: (v) => v.createdBy, text: (v) => v.createdBy },
              { header: "Published", cell: (v) => formatTime(v.createdAt), text: (v) => v.createdAt ?? "" },
            ]}
          />
        )}
      </ResourceView>
      {action.dialog}
    </>
  );
}

const int = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

function CatalogueEditor({ catalogue, credential, ask }: { catalogue: PriceCatalogue; credential: Credential; ask: ReturnType<typeof useConfirmedAction>["ask"] }) {
  const id = useId();
  const [suites, setSuites] = useState(catalogue.suites.map((s) => ({ ...s, price: String(s.price), turnBudget: String(s.turnBudget) })));
  const [sizes, setSizes] = useState(catalogue.assembly.sizes.map((s) => ({ seats: String(s.seats), price: String(s.price) })));
  const [perSeat, setPerSeat] = useState(String(catalogue.assembly.perSeat));
  const [ttl, setTtl] = useState(String(catalogue.quoteTtlSeconds));
  const [complexity, setComplexity] = useState(JSON.stringify(catalogue.complexity, null, 2));
  const [error, setError] = useState<unknown>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let parsedComplexity: unknown;
    try {
      parsedComplexity = JSON.parse(complexity);
    } catch {
      return setError(new Error("The complexity steps are not valid JSON; fix the text or reload the page to start over."));
    }
    const candidate = {
      currency: catalogue.currency,
      suites: suites.map((s) => ({ suite: s.suite, version: s.version, price: int(s.price), turnBudget: int(s.turnBudget) })),
      assembly: { sizes: sizes.map((s) => ({ seats: int(s.seats), price: int(s.price) })), perSeat: int(perSeat) },
      complexity: parsedComplexity,
      quoteTtlSeconds: int(ttl),
    };
    const parsed = PriceCatalogueSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return setError(new Error(`${issue.path.join(".") || "catalogue"}: ${issue.message.replace(/^Invalid input: /, "")}. Prices and counts are whole numbers.`));
    }
    setError(null);
    ask({
      title: "Publish a new catalogue version?",
      message: <p>New quotes use the new prices at once; submissions already priced keep their version.</p>,
      confirmLabel: "Publish",
      failure: "Catalogue not published",
      run: async () => {
        const published = await operatorConsoleApi.publishCatalogue(credential, parsed.data);
        return `Catalogue version ${published.version} is now in force.`;
      },
    });
  };

  return (
    <form className="operator-form wide" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Edit prices (publishes a new version)</h3>
      <fieldset>
        <legend>Suites (credits per audit)</legend>
        {suites.map((s, i) => (
          <div key={`${s.suite}-${s.version}-${i}`} className="field-row">
            <span className="field-name">
              {s.suite} {s.version}
            </span>
            <div>
              <label htmlFor={`${id}-suite-${i}-price`}>
                Price of {s.suite} {s.version}
              </label>
              <input id={`${id}-suite-${i}-price`} inputMode="numeric" value={s.price} onChange={(e) => setSuites(suites.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)))} />
            </div>
            <div>
              <label htmlFor={`${id}-suite-${i}-turns`}>
                Turn budget of {s.suite} {s.version}
              </label>
              <input id={`${id}-suite-${i}-turns`} inputMode="numeric" value={s.turnBudget} onChange={(e) => setSuites(suites.map((x, j) => (j === i ? { ...x, turnBudget: e.target.value } : x)))} />
            </div>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Assembly</legend>
        {sizes.map((s, i) => (
          <div key={i} className="field-row">
            <div>
              <label htmlFor={`${id}-size-${i}-seats`}>Seats (size {i + 1})</label>
              <input id={`${id}-size-${i}-seats`} inputMode="numeric" value={s.seats} onChange={(e) => setSizes(sizes.map((x, j) => (j === i ? { ...x, seats: e.target.value } : x)))} />
            </div>
            <div>
              <label htmlFor={`${id}-size-${i}-price`}>Price (size {i + 1})</label>
              <input id={`${id}-size-${i}-price`} inputMode="numeric" value={s.price} onChange={(e) => setSizes(sizes.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)))} />
            </div>
          </div>
        ))}
        <label htmlFor={`${id}-perseat`}>Price per seat (sizes not listed)</label>
        <input id={`${id}-perseat`} inputMode="numeric" value={perSeat} onChange={(e) => setPerSeat(e.target.value)} />
      </fieldset>
      <label htmlFor={`${id}-ttl`}>Quote lifetime (seconds, 60–86400)</label>
      <input id={`${id}-ttl`} inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value)} />
      <label htmlFor={`${id}-complexity`}>Complexity steps (JSON)</label>
      <textarea id={`${id}-complexity`} className="mono" rows={8} value={complexity} onChange={(e) => setComplexity(e.target.value)} spellCheck={false} />
      <div className="row">
        <button type="submit">Publish new version…</button>
      </div>
      <ErrorNotice error={error} context="Not published" />
    </form>
  );
}
