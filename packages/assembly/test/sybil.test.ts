import { AssemblyError } from "../src";
import { runSybilScenario } from "../src/simulate";

describe("Sybil scenario", () => {
  // The requirement: the attacker controls 30 % of the registered identities.
  const result = runSybilScenario({ assemblies: 400, identities: 100, attackerShare: 0.3, seed: 1 });

  it("is captured under the open rule and not under admission, with the attacker at 30 % of identities", () => {
    expect(result.attackerIdentities).toBe(30);
    expect(result.captureRate.open).toBeGreaterThanOrEqual(0.99);
    expect(result.captureRate.admitted).toBeLessThanOrEqual(0.01);
    // The reason is the weight: a real budget split 30 ways weighs about one per cent of the set.
    expect(result.attackerWeightShare.open).toBeGreaterThan(0.99);
    expect(result.attackerWeightShare.admitted).toBeLessThan(0.02);
    expect(result.attacker.admitted.budget).toBe(result.honestStake.median);
  });

  it("binds the family-diversity rule when the attacker's identities share one model family", () => {
    // One family: at most one of its agents per assembly while other families are available.
    expect(result.captureRateSharedFamily).toEqual({ open: 0, admitted: 0 });
  });

  it("comes from the admission model, not a tuned constant: a richer attacker captures more", () => {
    const rich = runSybilScenario({ assemblies: 400, seed: 1, budgetMultiple: 100 });
    expect(rich.captureRate.admitted).toBeGreaterThan(0.2);
    expect(rich.attackerWeightShare.admitted).toBeGreaterThan(result.attackerWeightShare.admitted);
  });

  it("is reproducible from its seed", () => {
    const a = runSybilScenario({ assemblies: 50, seed: "x", budgetMultiple: 50 });
    expect(runSybilScenario({ assemblies: 50, seed: "x", budgetMultiple: 50 })).toEqual(a);
  });

  it("states its assumptions and refuses bad options", () => {
    expect(result.assumptions.join(" ")).toMatch(/median honest stake/);
    expect(result.assumptions.join(" ")).toMatch(/initial reputation/);
    expect(() => runSybilScenario({ attackerShare: 1 })).toThrow(AssemblyError);
    expect(() => runSybilScenario({ identities: 2, attackerShare: 0.9 })).toThrow(AssemblyError);
  });
});
