// `npm run bench:registry -w @assay/platform [-- <rows>]` → bench-results/registry.json
// Registry search (docs/decisions/0017) over N certificates (default 100,000) on
// a fresh PostgreSQL database: the latency of RegistryService.search for each
// filter (p50/p95 of 30 runs, one page of 20), a page deep in the keyset, and
// the plan PostgreSQL picks for each (which index), so a missing index shows.
// Rows: one real certificate issued through the service, copied N times in SQL
// with varied runtime names, claims, suite versions, statuses and issue times.
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createPlatform, samplePackedRuntime, sampleUnsignedCertificate } from "../src";
import { createTestEnvironment } from "../src/testing";

const ROWS = Number(process.argv[2] ?? 100_000);
const RUNS = 30;

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const env = createTestEnvironment({ ASSAY_LOG_LEVEL: "silent" });
  const platform = await createPlatform(env.config, { knownSuites: ["core"] });
  try {
    const developer = await platform.developers.create({ email: "bench@example.com", name: "Bench" });
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime());
    await platform.submissions.transition(submission.id, "auditing", { actor: "bench" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "bench" });
    await platform.certificates.issue(submission.id, sampleUnsignedCertificate({ name: "seed", version: "1.0.0", digest: submission.subjectDigest }), "bench");

    const words = ["drift", "attractor", "sentinel", "keeper", "guard", "anchor", "phase", "memory", "sigma", "loop"];
    const t0 = performance.now();
    await platform.db.$executeRawUnsafe(`
      INSERT INTO certificates (id, submission_id, payload, jws, kid, subject_digest, runtime_name, runtime_version, suite_id, suite_version, claims,
                                status, status_reason_code, issued_at, valid_until, supersedes_id, created_at)
      SELECT '0x' || encode(sha256(('bench-' || g)::bytea), 'hex'), c.submission_id, c.payload, c.jws, c.kid, c.subject_digest,
             (ARRAY[${words.map((w) => `'${w}'`).join(",")}])[1 + g % 10] || '-' || (ARRAY[${words.map((w) => `'${w}'`).join(",")}])[1 + (g / 10) % 10] || '-' || g,
             '1.' || (g % 7) || '.0', 'core', '1.' || (g % 3) || '.0',
             CASE g % 5 WHEN 0 THEN ARRAY['SRIP-03'] WHEN 1 THEN ARRAY['SRIP-05'] WHEN 2 THEN ARRAY['SRIP-03','SRIP-05']
                        WHEN 3 THEN ARRAY['SRIP-03','SRIP-05','SRIP-13'] ELSE ARRAY['SRIP-13'] END,
             (ARRAY['active','active','active','active','active','suspended','revoked','expired']::certificate_status[])[1 + g % 8],
             NULL, now() - ((g * 10) || ' minutes')::interval, now() - ((g * 10) || ' minutes')::interval + interval '365 days', NULL, now()
      FROM generate_series(1, ${ROWS}) g, (SELECT * FROM certificates LIMIT 1) c`);
    await platform.db.$executeRawUnsafe("ANALYZE certificates");
    const insertMs = Math.round(performance.now() - t0);

    const deep = (await platform.registry.search({ limit: 100, issuedBefore: new Date(Date.now() - 300 * 86_400_000).toISOString() })).nextCursor!;
    const cases: Record<string, Parameters<typeof platform.registry.search>[0]> = {
      "no filter (first page)": {},
      "name contains 'sentinel-keep' (trigram)": { name: "sentinel-keep" },
      "name contains '-77777' (one match, trigram)": { name: "-77777" },
      "name contains 'zzz' (no match)": { name: "zzz" },
      "claim SRIP-13": { claim: "SRIP-13" },
      "status certified": { status: "certified" },
      "status revoked": { status: "revoked" },
      "status expired": { status: "expired" },
      "suite core 1.2.0": { suite: "core", suiteVersion: "1.2.0" },
      "issued in one day (300 days ago)": { issuedFrom: new Date(Date.now() - 300 * 86_400_000).toISOString(), issuedBefore: new Date(Date.now() - 299 * 86_400_000).toISOString() },
      "a page deep in the keyset (cursor)": { cursor: deep },
      "name + claim + status + suite version": { name: "drift", claim: "SRIP-05", status: "certified", suiteVersion: "1.1.0" },
    };
    const results: Record<string, { p50Ms: number; p95Ms: number; items: number }> = {};
    for (const [label, query] of Object.entries(cases)) {
      const samples: number[] = [];
      let items = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        items = (await platform.registry.search(query)).items.length;
        samples.push(performance.now() - t);
      }
      results[label] = { p50Ms: Number(percentile(samples, 50).toFixed(2)), p95Ms: Number(percentile(samples, 95).toFixed(2)), items };
    }

    // The plans for the index-dependent filters (the service's SQL, as EXPLAIN sees it).
    const plan = async (where: string) => {
      const rows = await platform.db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM certificates WHERE ${where} ORDER BY issued_at DESC, id DESC LIMIT 21`,
      );
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    };
    const plans = {
      name: await plan(`runtime_name ILIKE '%-77777%' ESCAPE '\\'`),
      certified: await plan(`status = 'active' AND valid_until > now()`),
      claim: await plan(`claims @> ARRAY['SRIP-13']::text[]`),
      status: await plan(`status = 'revoked'`),
      suite: await plan(`suite_id = 'core' AND suite_version = '1.2.0'`),
      cursor: await plan(`(issued_at, id) < (now() - interval '300 days', '0x')`),
    };

    const report = { rows: ROWS + 1, runsPerCase: RUNS, insertMs, results, plans, measuredAt: new Date().toISOString() };
    const out = resolve(__dirname, "../bench-results/registry.json");
    mkdirSync(resolve(out, ".."), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify({ rows: report.rows, insertMs, results }, null, 2));
    for (const [k, v] of Object.entries(plans)) console.log(`--- ${k}\n${v}`);
  } finally {
    await platform.close();
    await env.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
