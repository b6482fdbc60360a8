// The public verify page: a certificate by id (fetched from the public API) or
// from a file, verified in this browser with the issuer's published keys, shown
// check by check beside the server's answer, with the evidence it carries, and
// checked against the issuer's transparency log (docs/decisions/0016).
import { CertificateDocumentSchema, DIGEST_PATTERN, type CertificateVerifyResult, type LogCheck } from "@assay/protocol";
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api/errors";
import { publicApi } from "../api/client";
import type { DiscoveryDocument, Jwks } from "../api/client";
import { DriftCharts } from "../charts/DriftChart";
import { trajectoriesFromReport } from "../charts/drift-series";
import { navigate } from "../router";
import { ErrorMessage } from "../ui/ErrorMessage";
import { plainError } from "../registry/plain-error";
import { ArtifactCheck } from "./ArtifactCheck";
import { AssemblyPanel } from "./AssemblyPanel";
import { readAnchorFromChain, type ChainAnchorReading } from "./chain-anchor";
import { CertificateDetails } from "./CertificateDetails";
import { CheckTable, Outcome as CheckOutcome } from "./CheckTable";
import { anchoringOf, proofOf, readLookup, unknownServerState, type ServerReportedState } from "./lookup";
import { checkLogInBrowser } from "./transparency-log";
import { DEFAULT_TRUSTED_ISSUERS } from "./trust-defaults";
import { disagreements, issuersFromDiscovery, verifyInBrowser } from "./verification";

type Source = { kind: "id"; id: string } | { kind: "file"; name: string; document: unknown };

/** What comes from the server, fetched once per source. */
type Evidence = {
  server: ServerReportedState;
  jwks: Jwks;
  jwksError: unknown;
  serverResult: CertificateVerifyResult | null;
  serverError: unknown;
  lookupNote: string | null;
};

/** The browser's own verification of that evidence, recomputed when trust settings or the artifact change. */
type Outcome = Evidence & {
  /** Without a local artifact: what is compared with the server. */
  browser: CertificateVerifyResult;
  /** With the local artifact, when one was given. */
  browserWithArtifact: CertificateVerifyResult | null;
  /** The transparency-log checks, run in this browser (inclusion, signed checkpoint, consistency with the one seen before). */
  log: LogCheck[];
  /** The anchor as this browser read it from the chain (null: no chain configured or nothing anchored yet). */
  chain: ChainAnchorReading | null;
};

export function VerifyPage({ initialId }: { initialId: string | null }) {
  const [source, setSource] = useState<Source | null>(initialId ? { kind: "id", id: initialId } : null);
  const [discovery, setDiscovery] = useState<{ doc: DiscoveryDocument | null; error: unknown } | null>(null);
  const [issuersText, setIssuersText] = useState<string | null>(null);
  const [artifactDigest, setArtifactDigest] = useState<string | undefined>(undefined);
  const [evidence, setEvidence] = useState<Evidence | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One log check per fetched evidence and log issuer (it saves the checkpoint it accepts, so it is not repeated per re-verification).
  const logChecks = useRef(new WeakMap<Evidence, Map<string, Promise<LogCheck[]>>>());
  // One chain read per fetched evidence (the chain's answer does not depend on trust settings or the artifact).
  const chainReads = useRef(new WeakMap<Evidence, Promise<ChainAnchorReading | null>>());

  useEffect(() => {
    let live = true;
    publicApi.discovery().then(
      (doc) => live && setDiscovery({ doc, error: null }),
      (e: unknown) => live && setDiscovery({ doc: null, error: e }),
    );
    return () => {
      live = false;
    };
  }, []);

  const discovered = issuersFromDiscovery(discovery?.doc ?? null);
  const trustedIssuers = (issuersText ?? (discovered.length > 0 ? discovered : DEFAULT_TRUSTED_ISSUERS).join(", "))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const trustKey = trustedIssuers.join(",");

  useEffect(() => {
    if (!source) return;
    let live = true;
    setBusy(true);
    setError(null);
    setEvidence(null);
    setOutcome(null);
    fetchEvidence(source).then(
      (fetched) => live && setEvidence(fetched),
      (e: unknown) => {
        if (!live) return;
        setError(plainError(e, "The certificate could not be loaded"));
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [source]);

  useEffect(() => {
    if (!evidence || discovery === null) return;
    let live = true;
    chainReadFor(evidence)
      .then(async (chain) => {
        // The anchor check uses what this browser read from the chain when it could; the server's reading otherwise.
        const anchor = chain?.kind === "computed" ? chain.state : evidence.server.anchor;
        const base = { document: evidence.server.document, jwks: evidence.jwks, allowedIssuers: trustedIssuers, status: evidence.server.status, anchor };
        const [browser, browserWithArtifact, log] = await Promise.all([verifyInBrowser(base), artifactDigest ? verifyInBrowser({ ...base, artifactDigest }) : Promise.resolve(null), logChecksFor(evidence)]);
        return { browser: withChainDetail(browser, chain), browserWithArtifact: browserWithArtifact && withChainDetail(browserWithArtifact, chain), log, chain };
      })
      .then(
      ({ browser, browserWithArtifact, log, chain }) => {
        if (!live) return;
        setOutcome({ ...evidence, browser, browserWithArtifact, log, chain });
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
    // trustKey stands for trustedIssuers (a new array every render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [evidence, discovery, trustKey, artifactDigest]);

  function chainReadFor(fetched: Evidence): Promise<ChainAnchorReading | null> {
    let pending = chainReads.current.get(fetched);
    if (!pending) {
      const id = (fetched.server.document as { id?: unknown } | null)?.id;
      pending = readAnchorFromChain({ id: typeof id === "string" ? id : "", proof: fetched.server.proof, anchored: fetched.server.anchoring, chain: discovery?.doc?.chain ?? null }).catch(
        (e: unknown): ChainAnchorReading => ({ kind: "unreachable", detail: `the chain could not be read: ${(e as Error).message}` }),
      );
      chainReads.current.set(fetched, pending);
    }
    return pending;
  }

  /** The log's issuer: the one the API's discovery names, else the document's own (its keys are the API's JWKS either way). */
  function logChecksFor(fetched: Evidence): Promise<LogCheck[]> {
    const documentIssuer = (fetched.server.document as { payload?: { issuer?: unknown } } | null)?.payload?.issuer;
    const issuer = discovered[0] ?? (typeof documentIssuer === "string" ? documentIssuer : "");
    let byIssuer = logChecks.current.get(fetched);
    if (!byIssuer) logChecks.current.set(fetched, (byIssuer = new Map()));
    let pending = byIssuer.get(issuer);
    if (!pending) {
      pending = checkLogInBrowser({ document: fetched.server.document, issuer, jwks: fetched.jwks, status: fetched.server.status }).catch((e: unknown) => {
        const detail = `could not check the transparency log: ${(e as Error).message}`;
        return [
          { name: "log-inclusion", ok: false, detail },
          { name: "log-consistency", ok: false, detail },
        ] satisfies LogCheck[];
      });
      byIssuer.set(issuer, pending);
    }
    return pending;
  }

  const parsed = outcome ? CertificateDocumentSchema.safeParse(outcome.server.document) : null;
  const shownCertificate = outcome ? (outcome.browserWithArtifact ?? outcome.browser) : null;
  // The verdict counts the log checks too, as `assay verify` does.
  const shown = outcome && shownCertificate ? { valid: shownCertificate.valid && outcome.log.every((c) => c.ok), checks: [...shownCertificate.checks, ...outcome.log] } : null;
  const differences = outcome?.serverResult ? disagreements(outcome.browser, outcome.serverResult) : [];
  const trajectories = outcome ? trajectoriesFromReport(outcome.server.report) : [];

  return (
    <>
      <section aria-labelledby="verify-heading" className="verify-input">
        <h1 id="verify-heading">Verify a certificate</h1>
        <p>
          Paste a certificate id or drop a certificate file. The checks run in your browser against the issuer's published keys; the chain anchor is
          read from the chain by this browser when the issuer names a reachable one; the status is shown as reported by the server.
        </p>
        <IdForm
          initialId={source?.kind === "id" ? source.id : ""}
          onDocument={(document) => {
            setArtifactDigest(undefined);
            setError(null);
            setSource({ kind: "file", name: "pasted JSON", document });
            if (window.location.pathname !== "/") navigate("/", { replace: true });
          }}
        />
        <FileDrop
          onDocument={(name, document) => {
            setArtifactDigest(undefined);
            setSource({ kind: "file", name, document });
            if (window.location.pathname !== "/") navigate("/", { replace: true });
          }}
          onError={setError}
        />
        <details className="trust">
          <summary>Trusted issuers: {trustedIssuers.join(", ") || "none"}</summary>
          <label htmlFor="trusted-issuers">Issuer ids to trust (comma-separated)</label>
          <input id="trusted-issuers" value={issuersText ?? trustedIssuers.join(", ")} onChange={(e) => setIssuersText(e.target.value)} />
          <p className="muted">
            {discovered.length > 0
              ? "Prefilled from /.well-known/assay.json."
              : discovery?.error
                ? "The discovery document could not be read; using the built-in default."
                : "The discovery document names no issuer; using the built-in default."}
          </p>
        </details>
      </section>

      {busy && (
        <p role="status" className="busy">
          Verifying…
        </p>
      )}
      <ErrorMessage error={error} />

      {outcome && shown && (
        <>
          <section aria-labelledby="verdict-heading" className={`verdict ${shown.valid ? "valid" : "invalid"}`} data-verdict={shown.valid ? "valid" : "invalid"}>
            <h2 id="verdict-heading">{shown.valid ? "Valid certificate" : "Invalid certificate"}</h2>
            <p>
              {shown.valid
                ? "Every check passed in this browser."
                : `${shown.checks.filter((c) => !c.ok).length} of ${shown.checks.length} checks failed in this browser: ${shown.checks
                    .filter((c) => !c.ok)
                    .map((c) => c.name)
                    .join(", ")}.`}{" "}
              {source?.kind === "file" ? `Source: file ${source.name}.` : "Source: the public API."}
            </p>
            <p data-testid="verdict-status">Status reported by the server: {outcome.server.statusLabel}.</p>
            {outcome.serverResult && (
              <p>
                Server says: <strong>{outcome.serverResult.valid ? "valid" : "invalid"}</strong>.
              </p>
            )}
            {outcome.lookupNote && <p className="muted">{outcome.lookupNote}</p>}
          </section>
          {differences.length > 0 && (
            <section className="disagreement" role="alert" aria-labelledby="disagree-heading">
              <h2 id="disagree-heading">This browser and the server disagree</h2>
              <ul>
                {differences.map((d) => (
                  <li key={d.name}>
                    <strong>{d.name}</strong>: this browser {d.browser}, server {d.server}
                  </li>
                ))}
              </ul>
              <p>Trust the browser's result: it recomputes everything from the document and the published keys.</p>
            </section>
          )}
          <ErrorMessage error={outcome.jwksError} context="The issuer's keys (/.well-known/jwks.json) could not be fetched, so the signature cannot verify" />
          <CheckTable
            browser={shownCertificate!}
            server={outcome.serverResult}
            serverError={outcome.serverError}
            disagreements={differences}
            artifactGiven={outcome.browserWithArtifact !== null}
            anchorReadFromChain={outcome.chain?.kind === "computed"}
          />
          <LogCheckTable checks={outcome.log} />
          {parsed?.success && <ArtifactCheck key={parsed.data.id} expected={parsed.data.payload.subject.digest} onDigest={setArtifactDigest} />}
          {parsed?.success ? (
            <Trusted trusted={shown.valid}>
              <CertificateDetails document={parsed.data} server={outcome.server} />
              <AssemblyPanel
                certificateId={parsed.data.id}
                expectedDigest={parsed.data.payload.assembly?.recordDigest ?? null}
                digestSource="against the digest in the certificate this browser verified"
              />
              {trajectories.length > 0 ? (
                <section aria-labelledby="drift-heading">
                  <h2 id="drift-heading">Drift per scenario</h2>
                  <DriftCharts trajectories={trajectories} />
                </section>
              ) : (
                <p className="muted" data-testid="no-drift">
                  {outcome.server.report === null
                    ? "The developer has not made the audit report public, so the per-turn drift plots are not shown."
                    : "The published report carries no per-turn drift series."}
                </p>
              )}
            </Trusted>
          ) : (
            <details>
              <summary>The document as received (it is not a well-formed certificate)</summary>
              <pre>{JSON.stringify(outcome.server.document, null, 2)}</pre>
            </details>
          )}
        </>
      )}
    </>
  );
}

/**
 * What the certificate states is shown as a statement only when this browser verified it;
 * otherwise it stays behind an explicit "show the unverified content", marked untrusted.
 */
function Trusted({ trusted, children }: { trusted: boolean; children: ReactNode }) {
  if (trusted) return <div data-trusted="true">{children}</div>;
  return (
    <details className="untrusted" data-trusted="false">
      <summary>Show the unverified content</summary>
      <p className="error" role="note">
        Unverified: this certificate failed verification in this browser. What follows is what the document says, not something the issuer is shown to
        have signed or to stand behind. Do not rely on it.
      </p>
      {children}
    </details>
  );
}

const LOG_CHECK_LABELS: Record<string, string> = {
  "log-inclusion": "In the issuer's log, under a checkpoint it signed",
  "log-consistency": "Log extends the checkpoint this browser saw before",
};

/** The transparency-log checks: computed in this browser only (the server's verify does not report them). */
function LogCheckTable({ checks }: { checks: LogCheck[] }) {
  return (
    <section aria-labelledby="log-heading" className="log checks" data-log-ok={String(checks.every((c) => c.ok))}>
      <h2 id="log-heading">Transparency log</h2>
      <div className="table-scroll" role="region" aria-label="Transparency log checks" tabIndex={0}>
      <table className="log-checks">
        <caption>Checked in this browser against the issuer's log; the last accepted checkpoint is kept in this browser's storage</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">This browser</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr key={check.name} data-check={check.name} data-ok={String(check.ok)}>
              <th scope="row">
                {LOG_CHECK_LABELS[check.name] ?? check.name}
                <span className="check-name">{check.name}</span>
              </th>
              <td>
                <CheckOutcome ok={check.ok} />
                <span className="provenance provenance-computed">computed in this browser</span>
              </td>
              <td className="detail">{check.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

async function fetchEvidence(source: Source): Promise<Evidence> {
  const jwksPromise = publicApi.jwks().then(
    (jwks): { jwks: Jwks; error: unknown } => ({ jwks: Array.isArray(jwks?.keys) ? jwks : { keys: [] }, error: null }),
    (error: unknown) => ({ jwks: { keys: [] }, error }),
  );
  let server: ServerReportedState;
  let lookupNote: string | null = null;
  if (source.kind === "id") {
    server = readLookup(await publicApi.certificate(source.id.trim()));
  } else {
    server = await stateForFile(source.document);
    if (server.statusLabel === "not known to this server") lookupNote = "This server has no record of the certificate id in the file, so its status is unknown.";
  }
  const [{ jwks, error: jwksError }, serverVerify] = await Promise.all([
    jwksPromise,
    publicApi.verify(server.document).then(
      (result) => ({ result, error: null as unknown }),
      (error: unknown) => ({ result: null, error }),
    ),
  ]);
  const serverResult = serverVerify.result && Array.isArray(serverVerify.result.checks) ? serverVerify.result : null;
  return { server, jwks, jwksError, serverResult, serverError: serverVerify.error, lookupNote };
}

/** A dropped file's server-side status: looked up by its id; the file's own document is what gets verified. */
async function stateForFile(document: unknown): Promise<ServerReportedState> {
  const id = typeof document === "object" && document !== null ? (document as { id?: unknown }).id : undefined;
  if (typeof id !== "string" || !DIGEST_PATTERN.test(id)) return unknownServerState(document);
  try {
    const known = readLookup(await publicApi.certificate(id));
    // The file's own anchor block is what the browser checks against the chain (not the server's copy).
    const docAnchor = (document as { anchor?: unknown }).anchor;
    return { ...known, document, proof: proofOf(docAnchor), anchoring: anchoringOf(docAnchor) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return unknownServerState(document);
    throw error;
  }
}

function IdForm({ initialId, onDocument }: { initialId: string; onDocument: (document: unknown) => void }) {
  const inputId = useId();
  const [value, setValue] = useState(initialId);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (trimmed.startsWith("{")) {
      // A pasted certificate document: verified as a dropped file would be.
      try {
        const document: unknown = JSON.parse(trimmed);
        setProblem(null);
        onDocument(document);
      } catch (e) {
        setProblem(`That looks like JSON but does not parse (${(e as Error).message}). Paste the whole certificate file, from { to }.`);
      }
      return;
    }
    const id = trimmed.toLowerCase();
    if (!DIGEST_PATTERN.test(id)) {
      setProblem(
        trimmed === ""
          ? "Enter a certificate id (0x followed by 64 hexadecimal digits), or paste the certificate's JSON."
          : "That is not a certificate id: an id is 0x followed by 64 hexadecimal digits. You can also paste the certificate's JSON here.",
      );
      return;
    }
    setProblem(null);
    navigate(`/verify/${id}`);
  };
  return (
    <form onSubmit={submit} className="id-form" noValidate>
      <label htmlFor={inputId}>Certificate id or certificate JSON</label>
      <div className="row">
        <input
          id={inputId}
          name="certificate-id"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="0x… or { … }"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${inputId}-problem` : undefined}
        />
        <button type="submit">Verify</button>
      </div>
      {problem && (
        <p id={`${inputId}-problem`} className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function FileDrop({ onDocument, onError }: { onDocument: (name: string, document: unknown) => void; onError: (error: unknown) => void }) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  const read = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    try {
      onDocument(file.name, JSON.parse(text));
    } catch (e) {
      onError(new Error(`${file.name} is not JSON (${(e as Error).message}). Choose the certificate file you downloaded, which ends in .json.`));
    }
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    void read(event.dataTransfer.files[0]);
  };
  return (
    <div
      className={`drop-zone${over ? " over" : ""}`}
      data-testid="certificate-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={inputId}>Certificate file (JSON)</label>
      <input id={inputId} type="file" accept=".json,application/json" onChange={(e) => void read(e.target.files?.[0])} />
      <p className="muted">…or drop the file here.</p>
    </div>
  );
}

/** The anchor check's detail says where the reading came from: the chain read in this browser, or why the server's reading is shown. */
function withChainDetail(result: CertificateVerifyResult, chain: ChainAnchorReading | null): CertificateVerifyResult {
  if (!chain) return result;
  return {
    ...result,
    checks: result.checks.map((c) =>
      c.name !== "anchor" ? c : chain.kind === "computed" ? { ...c, detail: chain.detail } : { ...c, detail: `${c.detail} (as reported by the server: ${chain.detail})` },
    ),
  };
}
