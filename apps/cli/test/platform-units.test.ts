// Pure pieces behind the platform commands: settings resolution (flag > env >
// config file > default), folding server-sent events into the watch state, and
// the plain watch display.
import { resolveSettings, DEFAULT_API_URL } from "../src/config/settings";
import { applyEvent, statusResult, watchStateOf, type WatchState } from "../src/submission/watch-state";
import { plainWatch, stateStep } from "../src/render/watch";
import { UsageError } from "../src/errors";

describe("resolveSettings", () => {
  const file = { apiUrl: "http://file.example:3000", apiKey: "ak_file" };

  it("takes the flag, then the environment, then the config file, then the default URL", () => {
    expect(resolveSettings({ apiUrl: "http://flag.example/", apiKey: "ak_flag" }, { ASSAY_API_URL: "http://env.example", ASSAY_API_KEY: "ak_env" }, file, "cfg")).toMatchObject({
      apiUrl: "http://flag.example",
      apiKey: "ak_flag",
    });
    expect(resolveSettings({}, { ASSAY_API_URL: "http://env.example", ASSAY_API_KEY: "ak_env" }, file, "cfg")).toMatchObject({ apiUrl: "http://env.example", apiKey: "ak_env" });
    expect(resolveSettings({}, { ASSAY_API_URL: "", ASSAY_API_KEY: "" }, file, "cfg")).toMatchObject({ apiUrl: "http://file.example:3000", apiKey: "ak_file", sources: { apiUrl: "cfg" } });
    expect(resolveSettings({}, {}, {}, "cfg")).toEqual({ apiUrl: DEFAULT_API_URL, apiKey: undefined, sources: { apiUrl: "the default", apiKey: undefined } });
  });

  it("names the source of a bad URL", () => {
    expect(() => resolveSettings({}, { ASSAY_API_URL: "ftp://x" }, {}, "cfg")).toThrow(new UsageError("invalid ASSAY_API_URL: must be an http(s) URL such as http://127.0.0.1:3000"));
    expect(() => resolveSettings({ apiUrl: "localhost" }, {}, {}, "cfg")).toThrow(/^invalid --api-url: /);
  });
});

describe("applyEvent", () => {
  const initial: WatchState = watchStateOf({ id: "s1", status: "received", progress: {}, certificateId: null });

  it("reads transitions, progress (bare or nested), SigmaPacket telemetry and assembly progress by shape", () => {
    let state = applyEvent(initial, { from: "received", to: "auditing" });
    expect(state.status).toBe("auditing");
    state = applyEvent(state, { scenariosTotal: 9, currentScenario: "long-horizon@1", currentTurn: 3, currentTurnsTotal: 120 });
    state = applyEvent(state, { scenario: "long-horizon@1", turn: 4, measuredDiBps: 2900, packet: { payload: { drift_metrics: { di: 0.2875 } } } });
    expect(state.progress).toEqual({ scenariosTotal: 9, currentScenario: "long-horizon@1", currentTurn: 4, currentTurnsTotal: 120, reportedDiBps: 2875, measuredDiBps: 2900 });
    state = applyEvent(state, { status: "in_assembly", assembly: { round: 2, phase: "reveal", seats: 5, revealed: 3 } });
    expect(state.assembly).toEqual({ round: 2, phase: "reveal", seats: 5, revealed: 3 });
    state = applyEvent(state, { status: "certified", certificateId: `0x${"a".repeat(64)}` });
    expect(statusResult(state)).toEqual({ id: "s1", status: "certified", certificateId: `0x${"a".repeat(64)}` });
  });

  it("ignores what it does not recognise (returns the same state)", () => {
    for (const data of [null, "ping", 42, { status: "exploded" }, { hello: "world" }, { currentTurn: -1 }]) {
      expect(applyEvent(initial, data)).toBe(initial);
    }
  });
});

describe("plainWatch", () => {
  it("writes one line per status change, each finished scenario once, and assembly changes", () => {
    const lines: string[] = [];
    const display = plainWatch((line) => lines.push(line));
    let state = watchStateOf({ id: "s1", status: "auditing", progress: {} });
    display.update(state);
    for (const turn of [1, 2, 3]) {
      state = applyEvent(state, { currentScenario: "a@1", currentTurn: turn, currentTurnsTotal: 3, measuredDiBps: 1000 * turn });
      display.update(state);
    }
    state = applyEvent(state, { currentScenario: "b@1", currentTurn: 1, currentTurnsTotal: 2, measuredDiBps: null });
    display.update(state);
    state = applyEvent(state, { status: "rejected", outcome: { code: "critical_finding", message: null } });
    display.update(state);
    display.stop();
    expect(lines).toEqual([
      "submission s1: auditing\n",
      "  scenario a@1 turn 3/3, DI 0.3000\n",
      "  scenario b@1 turn 1/2, DI —\n",
      "submission s1: rejected (critical_finding)\n",
    ]);
  });

  it("orders the states on the bar", () => {
    expect(["received", "auditing", "in_assembly", "certified", "rejected", "failed"].map((s) => stateStep(s as never))).toEqual([0, 1, 2, 3, 3, 3]);
  });
});
