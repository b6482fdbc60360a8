// The app's pure pieces: reading API shapes, comparing verdicts, folding the
// event stream, drift series, the local artifact digest, error messages.
import { SubmissionStreamEventSchema, subjectDigest, type CertificateVerifyResult } from "@assay/protocol";
import fc from "fast-check";
import { ApiError, apiErrorFromBody, readableError } from "../src/api/errors";
import { pathData, summarise, trajectoriesFromReport, withLivePoint, type DiPoint } from "../src/charts/drift-series";
import { applyEvent, emptyLiveState, withSubmission } from "../src/developer/live-state";
import { formatBps, formatMetricValue } from "../src/format";
import { flagInput } from "../src/operator/FlagsScreen";
import { nextStep } from "../src/ui/ErrorNotice";
import { matchRoute } from "../src/router";
import { ArtifactInputError, bundlePathOf, localArtifactDigest } from "../src/verify/artifact";
import { anchorOf, readLookup, statusOf } from "../src/verify/lookup";
import { disagreements, issuersFromDiscovery } from "../src/verify/verification";
import { SUBMISSIONS } from "./support/fake-api";

const checks = (oks: Record<string, boolean>): CertificateVerifyResult => ({
  valid: Object.values(oks).every(Boolean),
  checks: Object.entries(oks).map(([name, ok]) => ({ name: name as CertificateVerifyResult["checks"][number]["name"], ok, detail: name })),
});

describe("server-reported state", () => {
  test("reads the lookup with the document nested or flattened", () => {
    const document = { id: "0x1", payload: {}, jws: "a.b.c", anchor: { state: "pending" } };
    const nested = readLookup({ document, status: { state: "revoked", reason: "KEY_COMPROMISE" }, submissionId: "s1" });
    expect(nested.document).toBe(document);
    expect(nested.status).toEqual({ state: "revoked", reason: "KEY_COMPROMISE" });
    expect(nested.statusLabel).toBe("revoked (KEY_COMPROMISE)");
    expect(nested.anchor).toEqual({ state: "pending" });
    expect(nested.submissionId).toBe("s1");
    const flat = readLookup({ ...document, status: "active" });
    expect(flat.document).toEqual(document);
    expect(flat.status).toEqual({ state: "active" });
  });

  test("status: only known states are believed; revoked always carries a reason", () => {
    expect(statusOf("active")).toEqual({ state: "active" });
    expect(statusOf({ state: "suspended", reason: null })).toEqual({ state: "suspended" });
    expect(statusOf({ state: "revoked" })).toEqual({ state: "revoked", reason: "unspecified" });
    expect(statusOf({ state: "revoked", reasonCode: "FRAUD" })).toEqual({ state: "revoked", reason: "FRAUD" });
    expect(statusOf("ACTIVE")).toEqual({ state: "unknown" });
    expect(statusOf(undefined)).toEqual({ state: "unknown" });
  });

  test("anchor: pending and anchored as reported; an anchored claim without proof data fails", () => {
    const tx = "0x" + "ab".repeat(32);
    expect(anchorOf({ state: "anchored", block: 12, tx })).toEqual({ state: "anchored", block: 12, tx });
    expect(anchorOf({ state: "anchored" })).toEqual({ state: "failed", error: "reported as anchored without a block and transaction" });
    expect(anchorOf({ state: "pending", tx })).toEqual({ state: "pending", tx });
    expect(anchorOf({ state: "pending", tx: "nope" })).toEqual({ state: "pending" });
    expect(anchorOf(null)).toEqual({ state: "not-anchored" });
    expect(anchorOf({ state: "weird" })).toEqual({ state: "not-anchored" });
  });
});

describe("browser and server disagreements", () => {
  test("none when every outcome matches", () => {
    expect(disagreements(checks({ id: true, status: false }), checks({ id: true, status: false }))).toEqual([]);
  });

  test("verdict first, then each differing or missing check", () => {
    const browser = checks({ id: false, signature: true, artifact: true });
    const server: CertificateVerifyResult = { valid: true, checks: [{ name: "id", ok: true, detail: "" }, { name: "signature", ok: true, detail: "" }, { name: "anchor", ok: true, detail: "" }] };
    expect(disagreements(browser, server)).toEqual([
      { name: "verdict", browser: "invalid", server: "valid" },
      { name: "id", browser: "fail", server: "pass" },
      { name: "artifact", browser: "pass", server: "not reported" },
      { name: "anchor", browser: "not reported", server: "pass" },
    ]);
  });

  test("the trusted issuer comes from the discovery document", () => {
    expect(issuersFromDiscovery({ issuer: "assay-dev" })).toEqual(["assay-dev"]);
    expect(issuersFromDiscovery({ issuer: "" })).toEqual([]);
    expect(issuersFromDiscovery(null)).toEqual([]);
  });
});

describe("live submission state", () => {
  const base = withSubmission(emptyLiveState, { ...SUBMISSIONS[0]!, status: "auditing" } as never);
  const view = (status: string, progress: object, updatedAt: string) =>
    SubmissionStreamEventSchema.parse({ event: "submission", data: { ...SUBMISSIONS[0]!, status, progress, updatedAt } });

  test("submission events extend the timeline once per status change", () => {
    let s = applyEvent(base, view("auditing", {}, "2026-11-21T10:00:00.000Z"));
    s = applyEvent(s, view("in_assembly", {}, "2026-11-21T10:01:00.000Z"));
    s = applyEvent(s, view("in_assembly", {}, "2026-11-21T10:02:00.000Z"));
    s = applyEvent(s, view("certified", {}, "2026-11-21T10:03:00.000Z"));
    expect(s.timeline.map((t) => t.status)).toEqual(["auditing", "in_assembly", "certified"]);
    expect(s.timeline[1]!.at).toBe("2026-11-21T10:01:00.000Z");
    expect(s.submission?.status).toBe("certified");
    expect(s.events).toBe(4);
  });

  test("progress in the views builds per-scenario measured and reported DI series", () => {
    let s = applyEvent(base, view("auditing", { currentScenario: "long", currentTurn: 1, measuredDiBps: 100, reportedDiBps: 90 }, "2026-11-21T10:01:00.000Z"));
    s = applyEvent(s, view("auditing", { currentScenario: "long", currentTurn: 2, measuredDiBps: null }, "2026-11-21T10:02:00.000Z"));
    s = applyEvent(s, view("auditing", { currentScenario: "faults", currentTurn: 1, measuredDiBps: 300 }, "2026-11-21T10:03:00.000Z"));
    expect(s.measured).toEqual([
      { scenario: "long", points: [{ turn: 1, di: 100 }, { turn: 2, di: null }] },
      { scenario: "faults", points: [{ turn: 1, di: 300 }] },
    ]);
    expect(s.reported).toEqual([{ scenario: "long", points: [{ turn: 1, di: 90 }] }]);
    expect(s.submission?.progress.currentScenario).toBe("faults");
  });

  test("the stream schema rejects shapes the server never sends; error events leave the state alone", () => {
    expect(SubmissionStreamEventSchema.safeParse({ event: "status", data: { status: "certified" } }).success).toBe(false);
    expect(SubmissionStreamEventSchema.safeParse({ event: "submission", data: { status: "certified" } }).success).toBe(false);
    const error = SubmissionStreamEventSchema.parse({ event: "error", data: { error: { code: "internal", message: "x" } } });
    expect(applyEvent(base, error)).toBe(base);
  });
});

describe("drift series", () => {
  test("reads per-scenario series from a report, or a top-level series map", () => {
    expect(trajectoriesFromReport({ scenarios: [{ id: "a", title: "A", series: [{ turn: 1, di: 10 }, { turn: 2, diBps: 20 }] }, { id: "b", metrics: [] }] })).toEqual([
      { scenario: "a", title: "A", points: [{ turn: 1, di: 10 }, { turn: 2, di: 20 }] },
    ]);
    expect(trajectoriesFromReport({ series: { x: [5, null, 7] } })).toEqual([{ scenario: "x", points: [{ turn: 1, di: 5 }, { turn: 2, di: null }, { turn: 3, di: 7 }] }]);
    expect(trajectoriesFromReport(null)).toEqual([]);
    expect(trajectoriesFromReport({ scenarios: "no" })).toEqual([]);
  });

  const point = fc.record({ turn: fc.integer({ min: 1, max: 200 }), di: fc.option(fc.integer({ min: 0, max: 12_000 }), { nil: null }) });

  test("live points keep turns unique and ascending, the latest value winning (property)", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (points) => {
        let t: ReturnType<typeof withLivePoint> = [];
        for (const p of points) t = withLivePoint(t, "s", p);
        const series = t[0]?.points ?? [];
        const turns = series.map((p) => p.turn);
        expect(turns).toEqual([...new Set(points.map((p) => p.turn))].sort((a, b) => a - b));
        for (const p of series) expect(p.di).toBe([...points].reverse().find((q) => q.turn === p.turn)!.di);
      }),
    );
  });

  test("the path has one segment per run of measured turns and never bridges an unverified turn (property)", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (raw) => {
        const points: DiPoint[] = raw.map((p, i) => ({ turn: i + 1, di: p.di }));
        const d = pathData(points, { x: (t) => t, y: (b) => b });
        let runs = 0;
        points.forEach((p, i) => {
          if (p.di !== null && (i === 0 || points[i - 1]!.di === null)) runs++;
        });
        expect((d.match(/M/g) ?? []).length).toBe(runs);
        expect((d.match(/[ML]/g) ?? []).length).toBe(points.filter((p) => p.di !== null).length);
      }),
    );
  });

  test("summary counts turns at or above 0.5 and unverified turns", () => {
    expect(summarise([{ turn: 1, di: 4999 }, { turn: 2, di: 5000 }, { turn: 3, di: null }, { turn: 4, di: 7000 }])).toEqual({
      turns: 4,
      maxBps: 7000,
      lastBps: 7000,
      turnsAtOrAbove5000: 2,
      unverified: 1,
    });
    expect(summarise([{ turn: 1, di: null }]).maxBps).toBeNull();
  });
});

describe("local artifact digest", () => {
  const manifest = new TextEncoder().encode(JSON.stringify({ name: "r", entry: "./src/main.mts" }));
  const bundle = new TextEncoder().encode("export const x = 1;\n");

  test("equals the protocol's subject digest over manifest + bundle at the entry's JavaScript path", () => {
    expect(bundlePathOf("src/index.ts")).toBe("src/index.js");
    expect(bundlePathOf("./src/main.mts")).toBe("src/main.mjs");
    expect(bundlePathOf("index.js")).toBe("index.js");
    const result = localArtifactDigest([
      { name: "dist/bundle.js", bytes: bundle },
      { name: "runtime/sigma-runtime.json", bytes: manifest },
    ]);
    expect(result.digest).toBe(subjectDigest([{ path: "sigma-runtime.json", content: manifest }, { path: "src/main.mjs", content: bundle }]));
    expect(result.files.map((f) => f.path)).toEqual(["sigma-runtime.json", "src/main.mjs"]);
  });

  test("names what is wrong with the chosen files", () => {
    expect(() => localArtifactDigest([{ name: "a.js", bytes: bundle }])).toThrow(/exactly one sigma-runtime\.json/);
    expect(() => localArtifactDigest([{ name: "sigma-runtime.json", bytes: manifest }])).toThrow(/got 0 other files/);
    expect(() => localArtifactDigest([{ name: "sigma-runtime.json", bytes: new TextEncoder().encode("{") }, { name: "a.js", bytes: bundle }])).toThrow(ArtifactInputError);
    expect(() => localArtifactDigest([{ name: "sigma-runtime.json", bytes: new TextEncoder().encode("{}") }, { name: "a.js", bytes: bundle }])).toThrow(/no "entry"/);
    expect(() =>
      localArtifactDigest([{ name: "sigma-runtime.json", bytes: new TextEncoder().encode('{"entry":"../x.js"}') }, { name: "a.js", bytes: bundle }]),
    ).toThrow(/inside the artifact/);
  });
});

describe("API errors as sentences", () => {
  test("domain error bodies, NestJS defaults, text and empty bodies", () => {
    expect(apiErrorFromBody(404, "Not Found", { error: { code: "certificate_not_found", message: "no certificate 0x1" } }).readable).toBe(
      "no certificate 0x1 (HTTP 404, certificate_not_found)",
    );
    expect(
      apiErrorFromBody(400, "Bad Request", { error: { code: "body_invalid", message: "invalid body", details: { issues: [{ path: ["email"], message: "required" }] } } }).readable,
    ).toBe("invalid body: email: required (HTTP 400, body_invalid)");
    expect(apiErrorFromBody(400, "Bad Request", { statusCode: 400, message: ["a is bad", "b is bad"], error: "Bad Request" }).readable).toBe(
      "a is bad; b is bad (HTTP 400, Bad Request)",
    );
    expect(apiErrorFromBody(502, "Bad Gateway", "upstream down").readable).toBe("upstream down (HTTP 502)");
    expect(apiErrorFromBody(500, "", null).readable).toBe("request failed with HTTP 500 (HTTP 500)");
    expect(apiErrorFromBody(502, "Bad Gateway", null).readable).toBe("the API is not reachable from the web server (HTTP 502, api_unreachable)");
    expect(readableError(new ApiError(0, "network_error", "cannot reach the API"))).toBe("cannot reach the API");
    expect(readableError("x")).toBe("x");
  });
});

describe("small pieces", () => {
  test("routes", () => {
    expect(matchRoute("/")).toEqual({ page: "verify", id: null });
    expect(matchRoute("/verify/0xab/")).toEqual({ page: "verify", id: "0xab" });
    expect(matchRoute("/developer")).toEqual({ page: "developer" });
    expect(matchRoute("/developer/submissions/0x1")).toEqual({ page: "submission", id: "0x1" });
    expect(matchRoute("/operator")).toEqual({ page: "operator" });
    expect(matchRoute("/nope")).toEqual({ page: "not-found", path: "/nope" });
  });

  test("integers shown as decimals", () => {
    expect(formatBps(4523)).toBe("0.4523");
    expect(formatBps(10_000, 2)).toBe("1.00");
    expect(formatBps(null)).toBe("unverified");
    expect(formatMetricValue(3, "turns")).toBe("3");
    expect(formatMetricValue(3120, "bps")).toBe("0.3120");
  });

  test("a flag's input follows its registry type; errors name a next step", () => {
    expect(flagInput("boolean", true)).toEqual({ kind: "boolean" });
    expect(flagInput("integer 1..101", 5)).toEqual({ kind: "integer", min: 1, max: 101 });
    expect(flagInput("integer", 5)).toEqual({ kind: "integer" });
    expect(flagInput('"off" | "shadow" | "enforce"', "enforce")).toEqual({ kind: "choice", options: ["off", "shadow", "enforce"] });
    expect(flagInput("string", "x")).toEqual({ kind: "text" });
    expect(nextStep(new ApiError(401, "session_expired", "expired"))).toMatch(/sign in again/);
    expect(nextStep(new ApiError(409, "assembly_not_escalated", "no"))).toMatch(/reload/);
    expect(nextStep(new ApiError(0, "network_error", "down"))).toMatch(/API is running/);
  });
});
