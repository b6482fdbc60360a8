// Schema-driven fuzzing of every route of every plane (issue 14 point 2). For
// each route of the contract: requests generated valid from its schemas, hostile
// mutations of a valid request (wrong types, missing and extra fields, 1 MB
// strings, 10,000-deep nesting, invalid UTF-8, __proto__/constructor keys, huge
// and negative numbers, bad ids and query values), and the request sent with
// every other plane's credential and with none. Every answer must: not be a 5xx,
// conform to the route's contract (documented status; ApiError on errors;
// response schema on success) and, when rejected, leave every table's row count
// as it was.
import fc from "fast-check";
import { contractRoutes } from "../../src/openapi";
import type { RouteContract } from "../../src/http/contract";
import { jsonSchemaOf } from "../../src/http/zod-pipe";
import { hostileId, hostileQueryValue, hostileValue, validOf } from "./arbitraries";
import { conformanceProblems } from "./conformance";
import { generatedRequest, keyOf, type RouteRequest, type World } from "./world";

/** deadlineMs cuts the fuzz short, but never before every route had its first `minCasesPerRoute` cases (default 6): on a loaded machine a bounded run still covers every route. */
export type FuzzOptions = { runsPerRoute: number; deadlineMs: number; seed: number; minCasesPerRoute?: number };
export type PlaneCounts = { requests: number; accepted: number; rejected: number; byStatus: Record<string, number> };
export type FuzzReport = { perPlane: Record<string, PlaneCounts>; problems: string[]; routes: number; skippedForTime: string[]; retried: number; byCase: Record<string, number> };

const NEST_DEPTH = 10_000;
const MEGABYTE_STRING = "x".repeat(1024 * 1024);

type Case = { label: string; request: RouteRequest };
/** Labels are "<kind>[ <detail>]"; counts are kept per kind. */
const KIND_PREFIXES = ["hostile query", "missing field", "hostile field", "megabyte field", "deep nesting"];

export async function fuzzEveryRoute(world: World, options: FuzzOptions): Promise<FuzzReport> {
  const deadline = Date.now() + options.deadlineMs;
  const routes = contractRoutes();
  const report: FuzzReport = { perPlane: {}, problems: [], routes: routes.length, skippedForTime: [], retried: 0, byCase: {} };
  // Base requests first: samples may create fixtures (rows) that must not count as a rejected request's writes.
  const bases = new Map<string, RouteRequest>();
  for (const route of routes) bases.set(keyOf(route), (await world.samples.get(keyOf(route))?.()) ?? generatedRequest(route, options.seed));
  const counter = await rowCounter(world);
  let counts = await counter();
  // Cheap-to-expensive interleave: every route gets its credential cases and a first slice before any gets more.
  const perRoute = routes.map((route) => ({ route, cases: casesFor(world, route, bases.get(keyOf(route))!, options) }));
  const rounds = Math.max(...perRoute.map((r) => r.cases.length));
  const guaranteed = options.minCasesPerRoute ?? 6;
  for (let i = 0; i < rounds; i++) {
    for (const { route, cases } of perRoute) {
      const c = cases[i];
      if (!c) continue;
      if (i >= guaranteed && Date.now() > deadline) {
        report.skippedForTime.push(`${keyOf(route)} from case ${i}`);
        continue;
      }
      counts = await runCase(world, route, c, report, counts, counter);
    }
    if (i >= guaranteed - 1 && Date.now() > deadline) break;
  }
  return report;
}

type Counts = Record<string, number>;

/** Row counts of every table in one statement (the counts after one request are the counts before the next). */
async function rowCounter(world: World): Promise<() => Promise<Counts>> {
  const tables = Object.keys(await world.t.platform.store.rowCounts());
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t.replace(/"/g, '""')}"`).join(" UNION ALL ");
  return async () => Object.fromEntries((await world.t.platform.db.$queryRawUnsafe<{ t: string; n: number }[]>(sql)).map((r) => [r.t, r.n]));
}

async function runCase(world: World, route: RouteContract, c: Case, report: FuzzReport, before: Counts, counter: () => Promise<Counts>): Promise<Counts> {
  let answer;
  try {
    answer = await world.call(route, c.request);
  } catch {
    // A reused keep-alive socket the server had just closed (idle timeout, or
    // Connection: close after a 413) fails before the request reaches it: retry
    // once on a fresh connection; a second failure is a finding.
    report.retried++;
    try {
      answer = await world.call(route, c.request);
    } catch (err) {
      report.problems.push(`${keyOf(route)} [${c.label}]: request failed twice (connection dropped): ${(err as Error).message}`);
      return counter();
    }
  }
  const counts = (report.perPlane[route.plane] ??= { requests: 0, accepted: 0, rejected: 0, byStatus: {} });
  counts.requests++;
  const kind = KIND_PREFIXES.find((prefix) => c.label.startsWith(prefix)) ?? c.label;
  report.byCase[kind] = (report.byCase[kind] ?? 0) + 1;
  counts.byStatus[answer.status] = (counts.byStatus[answer.status] ?? 0) + 1;
  if (answer.status >= 400) counts.rejected++;
  else counts.accepted++;
  const problems = conformanceProblems(route, answer);
  if (answer.status >= 500) problems.push(`${keyOf(route)} → ${answer.status}`);
  const after = await counter();
  if (answer.status >= 400) {
    const changed = Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
    if (changed.length > 0) problems.push(`${keyOf(route)} → ${answer.status} changed row counts of ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(", ")}`);
  }
  for (const p of new Set(problems)) report.problems.push(`[${c.label}] ${p}`);
  return after;
}

function casesFor(world: World, route: RouteContract, base: RouteRequest, options: FuzzOptions): Case[] {
  const cases: Case[] = [];
  const own = world.credentials[route.plane];
  // Credentials: every other plane's, none, and malformed ones.
  for (const [plane, token] of Object.entries(world.credentials)) {
    if (plane === route.plane || token === null) continue;
    cases.push({ label: `credential of ${plane}`, request: { ...base, token } });
  }
  if (own !== null) cases.push({ label: "no credential", request: { ...base, token: null } });
  for (const token of ["ak_000000000000_" + "A".repeat(43), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "x".repeat(8192)]) cases.push({ label: "malformed credential", request: { ...base, token } });

  // Every hostile body kind once per route with a body (the random rounds below add more).
  if (route.body) for (let k = 0; k < BODY_KINDS.length; k++) cases.push(mutate(route, base, options.seed + k * 7, BODY_KINDS[k]));
  const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed: options.seed ^ hash(keyOf(route)), numRuns: options.runsPerRoute });
  for (let i = 0; i < options.runsPerRoute; i++) {
    const seed = rng[i]!;
    cases.push(i % 3 === 0 ? { label: "valid (generated)", request: generatedRequest(route, seed) } : mutate(route, base, seed));
  }
  return cases;
}

/** One hostile variant of `base`, chosen by `seed`. */
const BODY_KINDS = ["wrong type", "missing field", "extra field", "hostile field", "megabyte field", "deep nesting", "proto keys", "invalid utf-8", "not json"] as const;

function mutate(route: RouteContract, base: RouteRequest, seed: number, bodyKind?: (typeof BODY_KINDS)[number]): Case {
  const pick = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { seed, numRuns: 1 })[0]!;
  const targets: ("body" | "params" | "query")[] = [];
  if (route.body) targets.push("body", "body", "body");
  if (route.params) targets.push("params");
  targets.push("query");
  const target = bodyKind ? "body" : targets[seed % targets.length]!;
  if (target === "params") {
    const params = Object.fromEntries(Object.keys(base.params ?? { id: "" }).map((k) => [k, pick(hostileId)]));
    return { label: "hostile id", request: { ...base, params } };
  }
  if (target === "query") {
    const keys = Object.keys((route.query ? (jsonSchemaOf(route.query).properties as object) : null) ?? {});
    const key = keys.length > 0 && seed % 4 !== 0 ? keys[seed % keys.length]! : pick(fc.constantFrom("__proto__", "constructor", "extra", "limit[]", "a".repeat(2000)));
    return { label: `hostile query ${key.slice(0, 20)}`, request: { ...base, query: { ...(base.query ?? {}), [key]: decodeSafe(pick(hostileQueryValue)) } } };
  }
  const body = base.body;
  const kind = bodyKind ?? BODY_KINDS[Math.floor(seed / 7) % BODY_KINDS.length]!;
  const object = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const keys = object ? Object.keys(object) : [];
  const someKey = keys.length > 0 ? keys[seed % keys.length]! : "field";
  switch (kind) {
    case "wrong type":
      return { label: kind, request: { ...base, body: pick(hostileValue) } };
    case "missing field":
      return { label: `${kind} ${someKey}`, request: { ...base, body: object ? omit(object, someKey) : {} } };
    case "extra field":
      return { label: kind, request: { ...base, body: { ...(object ?? {}), [pick(fc.constantFrom("extra", "isAdmin", "role", "id", "developerId"))]: pick(hostileValue) } } };
    case "hostile field":
      return { label: `${kind} ${someKey}`, request: { ...base, body: { ...(object ?? {}), [someKey]: pick(hostileValue) } } };
    case "megabyte field":
      return { label: `${kind} ${someKey}`, request: { ...base, body: { ...(object ?? {}), [someKey]: MEGABYTE_STRING } } };
    case "deep nesting": {
      const deep = seed % 2 === 0 ? "[".repeat(NEST_DEPTH) + "]".repeat(NEST_DEPTH) : '{"a":'.repeat(NEST_DEPTH) + "1" + "}".repeat(NEST_DEPTH);
      const raw = object ? JSON.stringify({ ...object, [someKey]: "__DEEP__" }).replace('"__DEEP__"', deep) : deep;
      return { label: `${kind} ${someKey}`, request: { ...base, body: undefined, rawBody: raw } };
    }
    case "proto keys": {
      const inner = object ? JSON.stringify(object).slice(1, -1) : "";
      const raw = `{"__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}${inner ? "," + inner : ""}}`;
      return { label: kind, request: { ...base, body: undefined, rawBody: raw } };
    }
    case "invalid utf-8": {
      const text = JSON.stringify({ ...(object ?? {}), [someKey]: "__BAD__" });
      const [head, tail] = text.split('"__BAD__"') as [string, string];
      return { label: kind, request: { ...base, body: undefined, rawBody: Buffer.concat([Buffer.from(head + '"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"' + tail)]) } };
    }
    case "not json":
      return { label: kind, request: { ...base, body: undefined, rawBody: pick(fc.constantFrom("{", "nul", "{'a':1}", "\u0000", "[1,]", '{"a":1}{"b":2}')) } };
  }
}

function omit(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = object;
  return rest;
}

/** Query values are URL-encoded by URLSearchParams; the arbitraries produce encoded text, so decode it once (invalid escapes stay as they are). */
function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function summary(report: FuzzReport): string {
  const lines = Object.entries(report.perPlane).map(
    ([plane, c]) => `  ${plane.padEnd(9)} ${String(c.requests).padStart(6)} requests, ${c.accepted} accepted, ${c.rejected} rejected; by status ${JSON.stringify(c.byStatus)}`,
  );
  const head = `fuzz: ${report.routes} routes, ${report.problems.length} problems, ${report.retried} retried after a dropped keep-alive socket${report.skippedForTime.length ? `, ${report.skippedForTime.length} routes cut by the time budget` : ""}`;
  return [head, ...lines, `  cases: ${JSON.stringify(report.byCase)}`].join("\n");
}
