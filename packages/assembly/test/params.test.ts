import { AssemblyError, DEFAULT_ASSEMBLY_PARAMS, PARAM_DESCRIPTIONS, resolveParams, seatCountForRound } from "../src";

describe("resolveParams", () => {
  it("returns the documented defaults without overrides", () => {
    const params = resolveParams();
    expect(params).toEqual(DEFAULT_ASSEMBLY_PARAMS);
    expect(params.seatCount).toBe(5);
    expect(params.maxRounds).toBe(3);
    expect(params.minParticipationBps).toBe(5_000);
    expect(params.supermajorityNumerator / params.supermajorityDenominator).toBeCloseTo(2 / 3);
  });

  it("merges valid overrides over the defaults", () => {
    const params = resolveParams({ seatCount: 7, modelFamilyDiversity: false });
    expect(params.seatCount).toBe(7);
    expect(params.modelFamilyDiversity).toBe(false);
    expect(params.maxRounds).toBe(3);
  });

  it.each([
    [{ seatCount: 0 }, "seatCount"],
    [{ seatCount: 2.5 }, "seatCount"],
    [{ minParticipationBps: 10_001 }, "minParticipationBps"],
    [{ reputationAlphaBps: -1 }, "reputationAlphaBps"],
    [{ slashesToRewardPool: "yes" }, "slashesToRewardPool"],
    [{ seatCont: 5 }, ""],
    [{ supermajorityNumerator: 1, supermajorityDenominator: 2 }, "supermajorityNumerator"],
    [{ supermajorityNumerator: 4, supermajorityDenominator: 3 }, "supermajorityNumerator"],
  ])("refuses %j with a typed error naming the parameter", (overrides, name) => {
    let error: unknown;
    try {
      resolveParams(overrides);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssemblyError);
    expect((error as AssemblyError).code).toBe("INVALID_PARAMS");
    expect((error as AssemblyError).message).toContain(name);
  });

  it("documents every parameter", () => {
    expect(Object.keys(PARAM_DESCRIPTIONS).sort()).toEqual(Object.keys(DEFAULT_ASSEMBLY_PARAMS).sort());
  });
});

describe("seatCountForRound", () => {
  it("grows n → 2n+1 per round", () => {
    expect([1, 2, 3, 4].map((r) => seatCountForRound(r, { seatCount: 5 }))).toEqual([5, 11, 23, 47]);
    expect([1, 2, 3].map((r) => seatCountForRound(r, { seatCount: 3 }))).toEqual([3, 7, 15]);
  });
  it("refuses round 0", () => {
    expect(() => seatCountForRound(0, { seatCount: 5 })).toThrow(AssemblyError);
  });
});
