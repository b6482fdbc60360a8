// The developer portal's pure pieces: its routes and errors in plain words with a next step.
import { ApiError } from "../src/api/errors";
import { explain } from "../src/developer/problem";
import { matchRoute } from "../src/router";
import type { AuditReport } from "@assay/protocol";
import { COMPOSITE_DI_METRIC, inconsistencies, SCENARIOS_COMPLETED_METRIC, submissionFigures } from "../src/developer/submission-figures";

test("developer sections are routes of their own", () => {
  for (const section of ["keys", "credits", "quote", "usage"] as const) expect(matchRoute(`/developer/${section}`)).toEqual({ page: "developer", section });
  expect(matchRoute("/developer/other")).toEqual({ page: "not-found", path: "/developer/other" });
});

test("errors read as plain words with a next step, keeping the API's detail", () => {
  const rejected = explain(new ApiError(401, "api_key_invalid", "the API key is not valid"));
  expect(rejected.summary).toBe("The API rejected this API key.");
  expect(rejected.next).toMatch(/revoked/);
  expect(rejected.detail).toBe("the API key is not valid (HTTP 401, api_key_invalid)");
  expect(explain(new ApiError(409, "developer_exists", "taken")).next).toBe("Sign in with it instead.");
  expect(explain(new ApiError(404, "voucher_not_redeemable", "no")).summary).toMatch(/voucher/);
  expect(explain(new ApiError(402, "something_new", "short")).next).toMatch(/Credits screen/);
  expect(explain(new ApiError(400, "", "bad", [{ path: "password", message: "at least 12 characters" }])).detail).toContain("password: at least 12 characters");
  expect(explain(new ApiError(503, "", "down")).summary).toBe("Something went wrong on our side.");
  expect(explain(new Error("Paste an API key first."))).toEqual({ summary: "Paste an API key first.", next: "", detail: "" });
});

describe("the submission page's figures come from one derivation", () => {
  const metric = (id: string, value: number | null, unit: "bps" | "count" | "turns" = "bps") => ({ id, value, unit, validity: value === null ? ("unverified" as const) : ("valid" as const) });
  const scenario = (id: string, seed: number, completed: boolean, series?: (number | null)[]) => ({
    id,
    title: `Title ${id}`,
    seed,
    turns: series?.length ?? 3,
    completed,
    transcriptDigest: `0x${"a".repeat(64)}`,
    metrics: [],
    ...(series ? { series } : {}),
  });
  // The shape of the complaint in issue 10: the worker counted 11 of 11, the report's metric says 10, the last turn's DI was 0.
  const report = {
    metrics: [metric(COMPOSITE_DI_METRIC, 1500), metric(SCENARIOS_COMPLETED_METRIC, 2, "count")],
    scenarios: [scenario("drift", 1, true, [1000, 5200, null, 6100]), scenario("drift", 2, true, [900, 800]), scenario("hijack", 1, false, [0])],
  } as unknown as AuditReport;
  const liveProgress = { scenariosTotal: 11, scenariosCompleted: 11, measuredDiBps: 0, reportedDiBps: 0, currentScenario: "hijack", currentTurn: 1 };

  test("with a report, counts, composite DI, rows and charts are the report's, never the live progress", () => {
    const f = submissionFigures(liveProgress, report);
    if (f.source !== "report") throw new Error("expected report figures");
    expect(f.scenarios).toEqual({ total: 3, completed: 2 });
    expect(f.compositeDiBps).toBe(1500);
    expect(f.rows.map((r) => r.key)).toEqual(["drift", "drift@2", "hijack"]);
    expect(f.charts.map((c) => c.scenario)).toEqual(f.rows.map((r) => r.key));
    expect(f.rows[0]).toMatchObject({ maxDiBps: 6100, lastDiBps: 6100, turnsAtOrAbove5000: 2 });
    expect(f.charts[0]!.points).toEqual([
      { turn: 1, di: 1000 },
      { turn: 2, di: 5200 },
      { turn: 3, di: null },
      { turn: 4, di: 6100 },
    ]);
    expect(inconsistencies(report, f)).toEqual([]);
  });

  test("a report whose metric disagrees with its scenario list is named, not hidden", () => {
    const bad = { ...report, metrics: [metric(SCENARIOS_COMPLETED_METRIC, 10, "count")] } as unknown as AuditReport;
    expect(inconsistencies(bad, submissionFigures(undefined, bad))).toEqual([expect.stringContaining("says 10")]);
    expect(inconsistencies(report, submissionFigures(liveProgress, null))).toEqual(["the figures do not come from the report"]);
  });

  test("a scenario without a series is listed but gets no chart; an unverified composite stays null", () => {
    const old = { metrics: [metric(COMPOSITE_DI_METRIC, null)], scenarios: [scenario("a", 1, true), scenario("b", 1, true, [10])] } as unknown as AuditReport;
    const f = submissionFigures(undefined, old);
    if (f.source !== "report") throw new Error("expected report figures");
    expect(f.rows.map((r) => r.maxDiBps)).toEqual([null, 10]);
    expect(f.charts.map((c) => c.scenario)).toEqual(["b"]);
    expect(f.compositeDiBps).toBeNull();
  });

  test("without a report, the live progress (clamped) and the latest turn, labelled as such", () => {
    expect(submissionFigures({ scenariosTotal: 4, scenariosCompleted: 6, measuredDiBps: 120, currentScenario: "x", currentTurn: 7 }, null)).toEqual({
      source: "live",
      scenarios: { total: 4, completed: 4 },
      latestTurn: { scenario: "x", turn: 7, measuredBps: 120, reportedBps: null },
    });
    expect(submissionFigures({}, null)).toEqual({ source: "live", scenarios: null, latestTurn: null });
  });
});
