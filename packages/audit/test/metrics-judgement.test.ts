// Recovery, trajectory spread, self-report agreement and sync containment over
// hand-set measured series (fixtures/measures) and hand-built records.
import { recoveryPerBlock, selfReportAgreement, measureSyncContainment, trajectorySpread } from "../src/metrics";
import { series } from "./fixtures/measures";
import { runOf, type TurnSpec } from "./fixtures/records";

const N = null;

describe("srs.recovery_turns.v1", () => {
  it("is 0 when DI never left the stable band", () => {
    expect(recoveryPerBlock(series([N, N, N, N, 1000, 1000, 1000, 1000, 1000], [7]))).toEqual([
      { startTurn: 7, endTurn: 7, leftStable: false, recoveredTurn: null, turns: 0, peakDi: 1000 },
    ]);
  });

  it("counts turns from the end of the block until DI is back under 0.45", () => {
    const dis = [N, N, N, N, 1000, 1000, 5000, 5000, 6000, 4500, 4000, 1000];
    expect(recoveryPerBlock(series(dis, [7, 8]))).toEqual([
      { startTurn: 7, endTurn: 8, leftStable: true, recoveredTurn: 11, turns: 3, peakDi: 6000 },
    ]);
  });

  it("waits for DI that rises only after the block (windowed lag)", () => {
    const dis = [N, N, N, N, 1000, 1000, 2000, 4000, 5000, 4000];
    expect(recoveryPerBlock(series(dis, [7]))[0]).toMatchObject({ leftStable: true, recoveredTurn: 10, turns: 3 });
  });

  it("skips unverified turns and is null when DI never recovers", () => {
    const dis = [N, N, N, N, 1000, 7000, N, 4000, 6000, 6000];
    const [block] = recoveryPerBlock(series(dis, [6]));
    expect(block).toMatchObject({ recoveredTurn: 8, turns: 2 });
    expect(recoveryPerBlock(series([N, N, N, N, 1000, 7000, 6000, 6000], [6]))[0]).toMatchObject({ turns: null, recoveredTurn: null, peakDi: 7000 });
  });

  it("judges each block before the next block starts", () => {
    const dis = [N, N, N, N, 1000, 6000, 6000, 6000, 1000, 1000];
    const blocks = recoveryPerBlock(series(dis, [6, 8]));
    expect(blocks.map((b) => [b.startTurn, b.turns])).toEqual([
      [6, null],
      [8, 1],
    ]);
  });
});

describe("srs.trajectory_spread.v1", () => {
  it("takes max and mean of (max − min) over turns where at least two runs are measured", () => {
    const spread = trajectorySpread([series([N, 1000, 2000, 3000]), series([N, 1500, 2000, 5000]), series([N, 1200, N])]);
    // turn 2: 500, turn 3: 0, turn 4: 2000
    expect(spread).toEqual({ max: 2000, mean: 833, maxTurn: 4, alignedTurns: 3, runs: 3 });
  });
  it("is null with a single trajectory", () => {
    expect(trajectorySpread([series([1000, 2000])])).toMatchObject({ max: null, mean: null, alignedTurns: 0 });
  });
});

describe("srs.self_report_agreement.v1", () => {
  const records = (reported: (number | null)[]) => runOf(reported.map((reportedDi): TurnSpec => ({ reportedDi }))).records;

  it("tolerates one band of difference", () => {
    // measured bands: 2, 3, 0; reported bands: 1, 3, 1
    const r = selfReportAgreement(records([0.46, 0.65, 0.46]), series([5000, 6500, 1000]));
    expect(r).toEqual({ comparable: 3, agreeing: 3, agreement: 10_000, episodes: [] });
  });

  it("treats two bands apart but less than 0.10 apart as agreement", () => {
    // measured 0.50 (sync blocked) vs reported 0.44 (stable): 2 bands, 0.06 apart
    expect(selfReportAgreement(records([0.44, 0.44, 0.44]), series([5000, 5000, 5000]))).toMatchObject({ agreeing: 3, episodes: [] });
    // measured 0.55 vs reported 0.40: 2 bands, 0.15 apart
    expect(selfReportAgreement(records([0.4, 0.4, 0.4]), series([5500, 5500, 5500]))).toMatchObject({ agreeing: 0, episodes: [{ length: 3 }] });
  });

  it("flags always-low reporting while drifting for 3+ consecutive comparable turns", () => {
    const measured = series([1000, 8000, 8000, N, 8000, 6000, 1000, 8000, 8000]);
    const r = selfReportAgreement(records([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), measured);
    expect(r.comparable).toBe(8);
    expect(r.agreeing).toBe(2);
    expect(r.agreement).toBe(2500);
    // the unverified turn 4 neither extends nor breaks the run; turns 8-9 are only two
    expect(r.episodes).toEqual([{ startTurn: 2, endTurn: 6, length: 4, maxBandDelta: 5, measuredDi: 8000, reportedDi: 1000 }]);
  });

  it("also flags over-reporting, and skips turns without a packet", () => {
    const r = selfReportAgreement(records([0.9, null, 0.9, 0.9]), series([1000, 1000, 1000, 1000]));
    expect(r.comparable).toBe(3);
    expect(r.episodes).toHaveLength(1);
    expect(r.agreement).toBe(0);
  });

  it("has no value when nothing is comparable", () => {
    expect(selfReportAgreement(records([0.1, 0.1]), series([N, N])).agreement).toBeNull();
  });
});

describe("SRIP-05 sync containment", () => {
  const run = (specs: TurnSpec[]) => runOf(specs, { checks: ["sync"] }).records;

  it("cannot be escaped by under-reporting: measured DI is judged beyond the tolerance", () => {
    const r = measureSyncContainment(run([{ reportedDi: 0.1, published: 1 }, { reportedDi: 0.4, published: 1 }]), series([8000, 5000]));
    expect(r.violations.map((v) => [v.turn, v.reason, v.judgedDi, v.source])).toEqual([
      [1, "published_while_blocked", 8000, "measured"],
      [2, "published_while_blocked", 5000, "measured"],
    ]);
    expect(r.overrides).toBe(2);
  });

  it("judges the runtime's own DI within the tolerance", () => {
    // reported 0.47 (reflective) vs measured 0.55 (blocked): one band apart -> reported counts
    const ok = measureSyncContainment(run([{ reportedDi: 0.47, published: 1 }]), series([5500]));
    expect(ok.violations).toEqual([]);
    const honest = measureSyncContainment(run([{ reportedDi: 0.55, published: 2 }]), series([5500]));
    expect(honest.violations).toMatchObject([{ reason: "published_while_blocked", published: 2, source: "reported", judgedDi: 5500 }]);
  });

  it("keeps containment engaged until DI falls under 0.45 (hysteresis)", () => {
    const r = measureSyncContainment(
      run([{ reportedDi: 0.55 }, { reportedDi: 0.47, published: 1 }, { reportedDi: 0.48, published: 1 }, { reportedDi: 0.44, published: 1 }, { reportedDi: 0.47, published: 1 }]),
      series([5500, 4700, 4800, 4400, 4700]),
    );
    expect(r.violations.map((v) => [v.turn, v.reason])).toEqual([
      [2, "resumed_before_release"],
      [3, "resumed_before_release"],
    ]);
  });

  it("falls back to the measured DI without a packet, and keeps state over unknown turns", () => {
    const r = measureSyncContainment(run([{ reportedDi: 0.55 }, { reportedDi: null, published: 1 }]), series([5500, N]));
    expect(r.violations).toMatchObject([{ turn: 2, reason: "resumed_before_release", judgedDi: null }]);
  });

  it("requires recenter_active at judged DI >= 0.6", () => {
    const r = measureSyncContainment(
      run([{ reportedDi: 0.65, recenterActive: false }, { reportedDi: 0.65, recenterActive: true }, { reportedDi: 0.1, recenterActive: false }, { reportedDi: 0.59 }]),
      series([6500, 6500, 9000, 5900]),
    );
    expect(r.recenterMissing.map((m) => [m.turn, m.judgedDi, m.source])).toEqual([
      [1, 6500, "reported"],
      [3, 9000, "measured"],
    ]);
  });
});
