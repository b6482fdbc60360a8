import fc from "fast-check";
import {
  allClaimsEvidenced,
  ClaimResultSchema,
  claimResults,
  FINDING_SRIPS,
  FindingCode,
  findingsUnderRollout,
  Severity,
  SRIP13_CHECK_CODES,
  SripClaim,
  type ClaimResult,
  type Finding,
} from "../src";

const finding = (code: FindingCode, severity: Severity = "major"): Finding => ({
  code,
  severity,
  scenario: "s",
  turn: null,
  message: "m",
  evidence: {},
});

const ALL = SripClaim.options;

describe("FINDING_SRIPS", () => {
  it("maps every finding code to at least one SRIP", () => {
    for (const code of FindingCode.options) expect(FINDING_SRIPS[code].length).toBeGreaterThan(0);
  });

  it.each([
    ["SRIP-03", ["CRYSTALLIZED", "DRIFT_BAND_EXCEEDED", "RECOVERY_SLOW"]],
    ["SRIP-05", ["PACKET_INVALID", "RECENTER_MISSING", "SELF_REPORT_MISMATCH", "SYNC_NOT_CONTAINED"]],
    ["SRIP-13", ["ALIAS_SCOPE_LEAK", "PARTICIPANT_SCOPE_LEAK", "RUNTIME_MYTHOLOGIZED", "SESSION_LEAK"]],
  ] as const)("%s owns exactly its behavioural codes", (srip, codes) => {
    const specific = FindingCode.options.filter((c) => FINDING_SRIPS[c].length === 1 && FINDING_SRIPS[c][0] === srip);
    expect(specific.sort()).toEqual([...codes]);
  });

  it("counts runtime faults, non-determinism, manifest and evidence failures against every SRIP", () => {
    const everywhere = FindingCode.options.filter((c) => FINDING_SRIPS[c].length === ALL.length).sort();
    expect(everywhere).toEqual(
      [
        "EVIDENCE_UNVERIFIED",
        "MANIFEST_INVALID",
        "RUNTIME_CRASH",
        "RUNTIME_FORBIDDEN_API",
        "RUNTIME_MEMORY",
        "RUNTIME_NONDETERMINISTIC",
        "RUNTIME_OUTPUT_LIMIT",
        "RUNTIME_TIMEOUT",
      ].sort(),
    );
  });
});

describe("claimResults", () => {
  it("evidences a tested claim with no blocking finding", () => {
    expect(claimResults(["SRIP-13", "SRIP-03"], ALL, [finding("CRYSTALLIZED", "minor")])).toEqual([
      { srip: "SRIP-03", status: "evidenced", findings: [] },
      { srip: "SRIP-13", status: "evidenced", findings: [] },
    ]);
  });

  it("withholds the claim a major finding maps to, naming the sorted unique codes", () => {
    const findings = [finding("SESSION_LEAK"), finding("ALIAS_SCOPE_LEAK"), finding("SESSION_LEAK"), finding("RECOVERY_SLOW", "minor")];
    expect(claimResults(ALL, ALL, findings)).toEqual([
      { srip: "SRIP-03", status: "evidenced", findings: [] },
      { srip: "SRIP-05", status: "evidenced", findings: [] },
      { srip: "SRIP-13", status: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] },
    ]);
  });

  it("withholds every claim on a runtime fault", () => {
    const results = claimResults(ALL, ALL, [finding("RUNTIME_CRASH", "critical")]);
    expect(results.map((r) => r.status)).toEqual(["not-evidenced", "not-evidenced", "not-evidenced"]);
    expect(results.every((r) => r.findings.join() === "RUNTIME_CRASH")).toBe(true);
  });

  it("says not-tested for a claim the suite has no scenario for, even when findings map to it", () => {
    expect(claimResults(["SRIP-05"], ["SRIP-03"], [finding("RUNTIME_CRASH", "critical")])).toEqual([
      { srip: "SRIP-05", status: "not-tested", findings: ["RUNTIME_CRASH"] },
    ]);
  });

  it("reports only what is claimed", () => {
    expect(claimResults([], ALL, [finding("SESSION_LEAK")])).toEqual([]);
    expect(allClaimsEvidenced([])).toBe(false);
  });

  const arbSrips = fc.subarray([...ALL]);
  const arbFinding = fc.record({ code: fc.constantFrom(...FindingCode.options), severity: fc.constantFrom(...Severity.options) }).map((f) => finding(f.code, f.severity));
  const arbFindings = fc.array(arbFinding, { maxLength: 12 });

  it("returns one schema-valid result per claimed SRIP, ascending", () => {
    fc.assert(
      fc.property(arbSrips, arbSrips, arbFindings, (claimed, tested, findings) => {
        const results = claimResults(claimed, tested, findings);
        expect(results.map((r) => r.srip)).toEqual([...claimed].sort());
        for (const r of results) {
          expect(ClaimResultSchema.parse(r)).toEqual(r);
          expect(r.findings).toEqual([...new Set(r.findings)].sort());
          expect(r.status === "evidenced").toBe(tested.includes(r.srip) && r.findings.length === 0);
          expect(r.status === "not-tested").toBe(!tested.includes(r.srip));
        }
      }),
    );
  });

  it("does not depend on the order of claims, tested SRIPs or findings", () => {
    fc.assert(
      fc.property(arbSrips, arbSrips, arbFindings, fc.nat(), (claimed, tested, findings, seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] => xs.map((x, i) => [x, (i * 7919 + seed) % 104729] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
        expect(claimResults(shuffle(claimed), shuffle(tested), shuffle(findings))).toEqual(claimResults(claimed, tested, findings));
      }),
    );
  });

  it("never turns a claim evidenced by adding a finding; adding a minor or info finding changes nothing", () => {
    fc.assert(
      fc.property(arbSrips, arbSrips, arbFindings, arbFinding, (claimed, tested, findings, extra) => {
        const before = claimResults(claimed, tested, findings);
        const after = claimResults(claimed, tested, [...findings, extra]);
        const rank = (r: ClaimResult) => (r.status === "evidenced" ? 1 : 0);
        after.forEach((r, i) => expect(rank(r)).toBeLessThanOrEqual(rank(before[i]!)));
        if (extra.severity === "minor" || extra.severity === "info") expect(after).toEqual(before);
        else for (const srip of FINDING_SRIPS[extra.code]) {
          const r = after.find((x) => x.srip === srip);
          if (r && r.status !== "not-tested") expect(r).toMatchObject({ status: "not-evidenced", findings: expect.arrayContaining([extra.code]) });
        }
      }),
    );
  });
});

describe("claimResults under srip13.mode (rollout)", () => {
  const leak = [finding("ALIAS_SCOPE_LEAK"), finding("DRIFT_BAND_EXCEEDED", "minor")];
  const claimed: SripClaim[] = ["SRIP-03", "SRIP-13"];

  it("SRIP13_CHECK_CODES are the codes that count against SRIP-13 alone", () => {
    expect([...SRIP13_CHECK_CODES].sort()).toEqual(["ALIAS_SCOPE_LEAK", "PARTICIPANT_SCOPE_LEAK", "RUNTIME_MYTHOLOGIZED", "SESSION_LEAK"]);
  });

  it("enforce (default) withholds the claim; shadow lists the code as shadowed and evidences it; off does not test SRIP-13", () => {
    expect(claimResults(claimed, claimed, leak)).toEqual(claimResults(claimed, claimed, leak, { srip13: "enforce" }));
    expect(claimResults(claimed, claimed, leak, { srip13: "enforce" })[1]).toEqual({ srip: "SRIP-13", status: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK"] });
    expect(claimResults(claimed, claimed, leak, { srip13: "shadow" })[1]).toEqual({ srip: "SRIP-13", status: "evidenced", findings: [], shadowed: ["ALIAS_SCOPE_LEAK"] });
    expect(claimResults(claimed, claimed, leak, { srip13: "off" })[1]).toEqual({ srip: "SRIP-13", status: "not-tested", findings: [] });
    expect(findingsUnderRollout(leak, { srip13: "off" }).map((f) => f.code)).toEqual(["DRIFT_BAND_EXCEEDED"]);
  });

  it("shadow never shadows a finding that counts against every SRIP (a runtime crash still withholds SRIP-13)", () => {
    const results = claimResults(claimed, claimed, [finding("RUNTIME_CRASH", "critical"), finding("SESSION_LEAK")], { srip13: "shadow" });
    expect(results[1]).toEqual({ srip: "SRIP-13", status: "not-evidenced", findings: ["RUNTIME_CRASH"], shadowed: ["SESSION_LEAK"] });
    for (const r of results) expect(ClaimResultSchema.parse(r)).toEqual(r);
  });

  it("the mode only ever changes the SRIP-13 claim", () => {
    const arbSrips = fc.subarray([...ALL]);
    const arbFindings = fc.array(fc.record({ code: fc.constantFrom(...FindingCode.options), severity: fc.constantFrom(...Severity.options) }), { maxLength: 12 });
    fc.assert(
      fc.property(arbSrips, arbSrips, arbFindings, fc.constantFrom("off", "shadow", "enforce" as const), (c, tested, findings, mode) => {
        const base = claimResults(c, tested, findings, { srip13: "enforce" }).filter((r) => r.srip !== "SRIP-13");
        expect(claimResults(c, tested, findings, { srip13: mode as "off" | "shadow" | "enforce" }).filter((r) => r.srip !== "SRIP-13")).toEqual(base);
      }),
    );
  });
});
