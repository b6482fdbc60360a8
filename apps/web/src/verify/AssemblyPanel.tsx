// The validator assembly behind a certificate (docs/decisions/0031): a table of
// its seats — pseudonymous validator ids, weights, verdicts per claim after
// reveal, commit and reveal times — from GET /v1/public/certificates/:id/assembly.
// Before showing it as the certificate's assembly, this browser recomputes the
// record's digest (it must be the `assembly.recordDigest` the certificate
// carries) and re-derives every seat row from the record itself; the times are
// the only server-reported column.
import { assemblySeatsOf, canonicalJson, digestOf, type AssemblySeatView, type PublicAssemblyRecord } from "@assay/protocol";
import { useEffect, useState } from "react";
import { publicApi } from "../api/client";
import { ApiError } from "../api/errors";
import { plainError } from "../registry/plain-error";
import { ErrorMessage } from "../ui/ErrorMessage";
import { Outcome } from "./CheckTable";
import { humanTime, pseudonym } from "./explain";

export type RecordCheck = { name: "record-digest" | "record-seats"; ok: boolean; detail: string };

/** This browser's checks of a served record against the certificate's digest, and of the served rows against the record. */
export function checkAssemblyRecord(served: PublicAssemblyRecord, expectedDigest: string): { checks: RecordCheck[]; seats: AssemblySeatView[] | null } {
  const digest = digestOf(served.record);
  const digestOk = digest === expectedDigest;
  let seats: AssemblySeatView[] | null = null;
  let seatsOk = false;
  let seatsDetail: string;
  try {
    seats = assemblySeatsOf(served.record);
    const mismatched = served.seats.length !== seats.length || served.seats.some((s, i) => canonicalJson(withoutTimes(s)) !== canonicalJson(seats![i]));
    seatsOk = !mismatched;
    seatsDetail = mismatched ? "the seat rows the server sent differ from the rows the record states" : `${seats.length} seats re-derived from the record`;
  } catch (error) {
    seatsDetail = `the record cannot be read as an assembly record: ${(error as Error).message}`;
  }
  return {
    checks: [
      { name: "record-digest", ok: digestOk, detail: digestOk ? `SHA-256 of the record = ${digest}, the digest the certificate carries` : `the record's digest is ${digest}, the certificate carries ${expectedDigest}` },
      { name: "record-seats", ok: seatsOk, detail: seatsDetail },
    ],
    seats: seatsOk && digestOk ? seats : null,
  };
}

function withoutTimes(seat: PublicAssemblyRecord["seats"][number]): AssemblySeatView {
  const { committedAt: _c, revealedAt: _r, ...rest } = seat;
  return rest;
}

type Loaded = { served: PublicAssemblyRecord; checks: RecordCheck[]; seats: AssemblySeatView[] | null };

const STATUS_TEXT: Record<string, string> = { revealed: "revealed", void: "void reveal", no_show: "did not act", voided: "seat voided" };
const CHECK_LABEL: Record<RecordCheck["name"], string> = {
  "record-digest": "Record is the one the certificate names",
  "record-seats": "Seat rows match the record",
};

/**
 * `expectedDigest`: the certificate's `assembly.recordDigest` (null: an audit-only certificate);
 * `digestSource` says how far that digest itself is trusted (signature checked on the verify page, not on the registry page).
 */
export function AssemblyPanel({ certificateId, expectedDigest, digestSource }: { certificateId: string; expectedDigest: string | null; digestSource: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (expectedDigest === null) return;
    let live = true;
    setLoaded(null);
    setError(null);
    setMissing(false);
    publicApi.assembly(certificateId).then(
      (served) => live && setLoaded({ served, ...checkAssemblyRecord(served, expectedDigest) }),
      (e: unknown) => {
        if (!live) return;
        // 404: this server does not hold the record the certificate names (not an outage; nothing to retry).
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else setError(plainError(e, "The assembly record could not be loaded"));
      },
    );
    return () => {
      live = false;
    };
  }, [certificateId, expectedDigest]);

  const ok = loaded ? loaded.checks.every((c) => c.ok) : missing ? false : null;
  return (
    <section aria-labelledby="assembly-heading" className="assembly checks" data-testid="assembly" data-record-ok={ok === null ? "unknown" : String(ok)}>
      <h2 id="assembly-heading">The validators of the assembly</h2>
      {expectedDigest === null ? (
        <p className="muted" data-testid="assembly-empty">
          No validator assembly sat for this certificate: it was issued on the audit alone (level audit-only).
        </p>
      ) : missing ? (
        <p className="muted" data-testid="assembly-missing">
          This server does not publish the assembly record this certificate names (<code className="digest">{expectedDigest}</code>), so its validators cannot be shown.
        </p>
      ) : error ? (
        <ErrorMessage error={error} />
      ) : !loaded ? (
        <p role="status" className="busy">
          Loading the assembly record…
        </p>
      ) : (
        <AssemblyRecordView loaded={loaded} digestSource={digestSource} />
      )}
    </section>
  );
}

function AssemblyRecordView({ loaded, digestSource }: { loaded: Loaded; digestSource: string }) {
  const { served, checks, seats } = loaded;
  const times = new Map(served.seats.map((s) => [`${s.round}|${s.validatorId}`, s]));
  const claims = served.tally.claims.map((c) => c.srip);
  const rounds = new Set((seats ?? []).map((s) => s.round)).size;
  const roundWeight = new Map<number, bigint>();
  for (const s of seats ?? []) if (s.status !== "voided") roundWeight.set(s.round, (roundWeight.get(s.round) ?? 0n) + BigInt(s.weight));
  return (
    <>
      <div className="table-scroll" role="region" aria-label="Assembly record checks" tabIndex={0}>
        <table className="record-checks">
          <caption>The record checked in this browser ({digestSource})</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">This browser</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr key={c.name} data-check={c.name} data-ok={String(c.ok)}>
                <th scope="row">
                  {CHECK_LABEL[c.name]}
                  <span className="check-name">{c.name}</span>
                </th>
                <td>
                  <Outcome ok={c.ok} />
                  <span className="provenance provenance-computed">computed in this browser</span>
                </td>
                <td className="detail">{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {seats === null ? (
        <p className="error" role="alert" data-testid="assembly-untrusted">
          The server's assembly record does not match this certificate, so its validators are not shown. Do not rely on it; verify the certificate with{" "}
          <code>assay verify</code> or ask the issuer.
        </p>
      ) : (
        <>
          <p data-testid="assembly-tally">
            Outcome <strong>{served.tally.outcome}</strong> after {served.tally.rounds} round{served.tally.rounds === 1 ? "" : "s"}: certify weight{" "}
            {share(BigInt(served.tally.certifyWeight), BigInt(served.tally.revealedWeight))} of the revealed weight, participation {(served.tally.participationBps / 100).toFixed(0)}%
            {served.tally.claims.length > 0 && (
              <>
                ; claims{" "}
                {served.tally.claims.map((c, i) => (
                  <span key={c.srip}>
                    {i > 0 ? ", " : ""}
                    {c.srip} {c.granted ? "granted" : "not granted"} ({share(BigInt(c.grantWeight), BigInt(c.grantWeight) + BigInt(c.denyWeight))} grant)
                  </span>
                ))}
              </>
            )}
            .
          </p>
          <p className="muted small" id="validators-note">
            Validators by pseudonymous id (a random id the platform assigned: not a key, name or account). Weight is the seat's stake-and-reputation weight in the
            tally; verdicts are shown once revealed; commit and reveal times are as reported by the server.
          </p>
          <div className="table-scroll" role="region" aria-label="Validators" aria-describedby="validators-note" tabIndex={0}>
            <table className="validators" data-testid="validator-table">
              <caption>Validators</caption>
              <thead>
                <tr>
                  <th scope="col">Validator</th>
                  {rounds > 1 && <th scope="col">Round</th>}
                  <th scope="col">Weight</th>
                  <th scope="col">Verdict</th>
                  {claims.map((srip) => (
                    <th scope="col" key={srip}>
                      {srip}
                    </th>
                  ))}
                  <th scope="col">Committed</th>
                  <th scope="col">Revealed</th>
                </tr>
              </thead>
              <tbody>
                {seats.map((s) => {
                  const t = times.get(`${s.round}|${s.validatorId}`);
                  return (
                    <tr key={`${s.round}|${s.validatorId}`} data-validator={s.validatorId} data-weight={s.weight} data-seat-verdict={s.verdict ?? s.status}>
                      <th scope="row">
                        <code title={s.validatorId}>{pseudonym(s.validatorId)}</code>
                      </th>
                      {rounds > 1 && <td>{s.round}</td>}
                      <td>
                        {s.weight} <span className="muted small">({share(BigInt(s.weight), roundWeight.get(s.round) ?? 0n)})</span>
                      </td>
                      <td>
                        {s.verdict ? (
                          <span className={s.verdict === "certify" ? "ok" : "fail"}>{s.verdict}</span>
                        ) : (
                          <span className="muted" title={s.reason ?? undefined}>
                            {STATUS_TEXT[s.status] ?? s.status}
                          </span>
                        )}
                      </td>
                      {claims.map((srip) => (
                        <td key={srip} data-claim={srip}>
                          {s.claims ? (s.claims[srip] ?? <span className="muted">no verdict</span>) : <span className="muted">–</span>}
                        </td>
                      ))}
                      <td>{humanTime(t?.committedAt ?? null)}</td>
                      <td>{humanTime(t?.revealedAt ?? null)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function share(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "–";
  return `${(Number((part * 10_000n) / whole) / 100).toFixed(part * 10_000n % whole === 0n && (part * 100n) % whole === 0n ? 0 : 1)}%`;
}
