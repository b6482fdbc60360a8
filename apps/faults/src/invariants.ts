// What must hold after every cell, read straight from the private database (a
// fresh connection each time: the harness must not depend on a pool that a
// fault cut) and from the chain's logs:
//   no submission lost        every accepted submission reached its end state
//   none certified twice      at most one certificate per submission
//   no certificate without its audit
//   no anchor twice           no Merkle root anchored twice on chain; every root on chain is a confirmed batch
//   no half-written row       each submission's status has its transition row and audit run; each
//                             certificate its status history row, its transparency-log entry, and
//                             (when anchored) its batch membership
import pg from "pg";
import { toEventSelector } from "viem";
import type { Stack } from "./stack";

const BATCH_ANCHORED = toEventSelector("BatchAnchored(bytes32,uint32,address)");

const CHECKS: { name: string; sql: string }[] = [
  { name: "certified twice", sql: "SELECT submission_id AS id FROM certificates GROUP BY submission_id HAVING count(*) > 1" },
  {
    name: "certificate without its audit",
    sql: `SELECT c.id FROM certificates c WHERE NOT EXISTS (
            SELECT 1 FROM audit_runs a JOIN audit_reports r ON r.audit_run_id = a.id WHERE a.submission_id = c.submission_id)`,
  },
  { name: "submission without audit run", sql: "SELECT s.id FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM audit_runs a WHERE a.submission_id = s.id)" },
  {
    name: "status without its transition",
    sql: "SELECT s.id FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM submission_transitions t WHERE t.submission_id = s.id AND t.to_status = s.status)",
  },
  { name: "certified without certificate", sql: "SELECT s.id FROM submissions s WHERE s.status = 'certified' AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.submission_id = s.id)" },
  { name: "certificate of an uncertified submission", sql: "SELECT c.id FROM certificates c JOIN submissions s ON s.id = c.submission_id WHERE s.status <> 'certified'" },
  {
    name: "certificate status without history",
    sql: "SELECT c.id FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM certificate_status_changes h WHERE h.certificate_id = c.id AND h.to_status = c.status)",
  },
  { name: "certificate without log entry", sql: "SELECT c.id FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.certificate_id = c.id)" },
  {
    name: "anchor without confirmed batch",
    sql: `SELECT c.id FROM certificates c WHERE c.anchor IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM anchor_batch_members m JOIN anchor_batches b ON b.id = m.batch_id WHERE m.certificate_id = c.id AND b.status = 'confirmed')`,
  },
  { name: "confirmed batch without transaction", sql: "SELECT b.id FROM anchor_batches b WHERE b.status = 'confirmed' AND (b.tx_hash IS NULL OR b.block_number IS NULL)" },
  // Assemblies (the "assembly phase open" column and the clock steps): advanced once, nothing lost or doubled, certificate only after the tally.
  {
    name: "certificate before its assembly's tally",
    sql: `SELECT c.id FROM certificates c JOIN assemblies a ON a.submission_id = c.submission_id
          WHERE a.status NOT IN ('certified', 'resolved')
             OR (a.status = 'certified' AND NOT EXISTS (SELECT 1 FROM assembly_rounds r WHERE r.assembly_id = a.id AND r.round = a.round AND r.tally IS NOT NULL AND r.closed_at IS NOT NULL))`,
  },
  {
    name: "assembly rounds not exactly 1..round",
    sql: "SELECT a.id FROM assemblies a WHERE a.phase NOT IN ('beacon') AND (SELECT count(*) FROM assembly_rounds r WHERE r.assembly_id = a.id) <> a.round",
  },
  {
    name: "assembly round left behind untallied",
    sql: "SELECT r.assembly_id || ':' || r.round AS id FROM assembly_rounds r JOIN assemblies a ON a.id = r.assembly_id WHERE (r.round < a.round OR a.status <> 'open') AND (r.tally IS NULL OR r.closed_at IS NULL)",
  },
  { name: "assembly tallied while open", sql: "SELECT r.assembly_id || ':' || r.round AS id FROM assembly_rounds r JOIN assemblies a ON a.id = r.assembly_id WHERE a.status = 'open' AND r.round = a.round AND r.closed_at IS NOT NULL" },
  {
    name: "more seats than the round draws",
    sql: "SELECT r.assembly_id || ':' || r.round AS id FROM assembly_rounds r WHERE (SELECT count(*) FROM assembly_seats s WHERE s.assembly_id = r.assembly_id AND s.round = r.round) > r.seat_count",
  },
  {
    name: "vote commitment without a seat",
    sql: "SELECT v.id FROM vote_commitments v WHERE NOT EXISTS (SELECT 1 FROM assembly_seats s WHERE s.assembly_id = v.assembly_id AND s.round = v.round AND s.validator_id = v.validator_id)",
  },
  {
    name: "vote reveal without its commitment",
    sql: "SELECT v.id FROM vote_reveals v WHERE NOT EXISTS (SELECT 1 FROM vote_commitments c WHERE c.assembly_id = v.assembly_id AND c.round = v.round AND c.validator_id = v.validator_id)",
  },
  {
    name: "seat settled twice",
    sql: "SELECT e.assembly_id || ':' || e.round || ':' || e.validator_id AS id FROM reputation_events e GROUP BY e.assembly_id, e.round, e.validator_id HAVING count(*) > 1",
  },
  {
    name: "decided assembly without its settlement",
    sql: "SELECT a.id FROM assemblies a WHERE a.status IN ('certified', 'rejected', 'escalated') AND NOT EXISTS (SELECT 1 FROM reputation_events e WHERE e.assembly_id = a.id)",
  },
  {
    name: "submission certified twice (transitions)",
    sql: "SELECT t.submission_id AS id FROM submission_transitions t WHERE t.to_status = 'certified' GROUP BY t.submission_id HAVING count(*) > 1",
  },
];

export type AssemblyFacts = { id: string; status: string; round: number; phase: string; phaseStartedAt: Date; phaseEndsAt: Date; seats: number; commitments: number; reveals: number };

/** The assembly of a submission, or null (fresh connection: the harness must not depend on a pool a fault cut). */
export async function readAssembly(stack: Stack, submissionId: string): Promise<AssemblyFacts | null> {
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const rows = (
      await client.query<{ id: string; status: string; round: number; phase: string; phase_started_at: Date; phase_ends_at: Date; seats: string; commitments: string; reveals: string }>(
        `SELECT a.id, a.status, a.round, a.phase, a.phase_started_at, a.phase_ends_at,
                (SELECT count(*) FROM assembly_seats s WHERE s.assembly_id = a.id AND s.round = a.round) AS seats,
                (SELECT count(*) FROM vote_commitments v WHERE v.assembly_id = a.id AND v.round = a.round) AS commitments,
                (SELECT count(*) FROM vote_reveals v WHERE v.assembly_id = a.id AND v.round = a.round) AS reveals
           FROM assemblies a WHERE a.submission_id = $1`,
        [submissionId],
      )
    ).rows;
    const r = rows[0];
    return r
      ? { id: r.id, status: r.status, round: r.round, phase: r.phase, phaseStartedAt: r.phase_started_at, phaseEndsAt: r.phase_ends_at, seats: Number(r.seats), commitments: Number(r.commitments), reveals: Number(r.reveals) }
      : null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A certificate's signed times, for the clock cells' sanity check. */
export async function certificateTimes(stack: Stack, submissionId: string): Promise<{ issuedAt: Date; validUntil: Date; createdAt: Date } | null> {
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const r = (await client.query<{ issued_at: Date; valid_until: Date; created_at: Date }>("SELECT issued_at, valid_until, created_at FROM certificates WHERE submission_id = $1", [submissionId])).rows[0];
    return r ? { issuedAt: r.issued_at, validUntil: r.valid_until, createdAt: r.created_at } : null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export type Facts = {
  submissions: Map<string, { status: string; outcome: string | null }>;
  /** Critical finding codes per submission (why a rejected one was rejected). */
  criticalFindings: Map<string, string[]>;
  certificates: Map<string, { id: string; status: string; anchored: boolean }>;
  /** Status changes to `suspended` per certificate. */
  suspensions: Map<string, number>;
  confirmedRoots: string[];
  /** Rows a check found; empty when every invariant holds. */
  violations: string[];
};

export async function readFacts(stack: Stack): Promise<Facts> {
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const violations: string[] = [];
    for (const check of CHECKS) {
      const rows = (await client.query<{ id: string }>(check.sql)).rows;
      if (rows.length) violations.push(`${check.name}: ${rows.slice(0, 3).map((r) => r.id).join(", ")}${rows.length > 3 ? ` (+${rows.length - 3})` : ""}`);
    }
    const submissions = new Map(
      (await client.query<{ id: string; status: string; outcome_code: string | null }>("SELECT id, status, outcome_code FROM submissions")).rows.map((r) => [
        r.id,
        { status: r.status, outcome: r.outcome_code },
      ]),
    );
    const certificates = new Map(
      (await client.query<{ id: string; submission_id: string; status: string; anchored: boolean }>("SELECT id, submission_id, status, anchor IS NOT NULL AS anchored FROM certificates")).rows.map(
        (r) => [r.submission_id, { id: r.id, status: r.status, anchored: r.anchored }],
      ),
    );
    const suspensions = new Map(
      (await client.query<{ certificate_id: string; n: string }>("SELECT certificate_id, count(*) AS n FROM certificate_status_changes WHERE to_status = 'suspended' GROUP BY certificate_id")).rows.map((r) => [
        r.certificate_id,
        Number(r.n),
      ]),
    );
    const criticalFindings = new Map<string, string[]>();
    for (const r of (
      await client.query<{ submission_id: string; code: string }>(
        "SELECT a.submission_id, f.code FROM findings f JOIN audit_reports r ON r.id = f.report_id JOIN audit_runs a ON a.id = r.audit_run_id WHERE f.severity = 'critical'",
      )
    ).rows)
      criticalFindings.set(r.submission_id, [...(criticalFindings.get(r.submission_id) ?? []), r.code]);
    const confirmedRoots = (await client.query<{ root: string }>("SELECT root FROM anchor_batches WHERE status = 'confirmed'")).rows.map((r) => r.root.toLowerCase());
    return { submissions, criticalFindings, certificates, suspensions, confirmedRoots, violations };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Roots anchored on chain (BatchAnchored logs of the registry), with repeats. */
export async function anchoredRoots(stack: Stack): Promise<string[]> {
  const response = await fetch(stack.chainRpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getLogs", params: [{ address: stack.registry, fromBlock: "0x0", toBlock: "latest", topics: [BATCH_ANCHORED] }] }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json()) as { result?: { topics: string[] }[]; error?: unknown };
  if (!json.result) throw new Error(`eth_getLogs failed: ${JSON.stringify(json.error)}`);
  return json.result.map((log) => log.topics[1]!.toLowerCase());
}

/** Chain-side checks: no root twice; every root on chain is a confirmed batch in the database (after convergence). */
export async function chainViolations(stack: Stack, facts: Facts): Promise<string[]> {
  if (!stack.chainEnabled) return [];
  const roots = await anchoredRoots(stack);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (seen.has(root)) out.push(`anchored twice: root ${root}`);
    seen.add(root);
  }
  const confirmed = new Set(facts.confirmedRoots);
  for (const root of seen) if (!confirmed.has(root)) out.push(`root ${root} on chain but not a confirmed batch`);
  return out;
}
