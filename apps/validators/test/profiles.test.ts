import { honestVote, parseMix, voteOf, type Evidence } from "../src/profiles";

const clean: Evidence = {
  auditVerdict: "pass",
  metrics: [{ id: "srs.composite_drift_index_mean.v1", value: 1200 }],
  findings: [{ key: "MINOR_THING@s1", severity: "minor" }],
  claims: [
    { srip: "SRIP-03", status: "evidenced" },
    { srip: "SRIP-13", status: "evidenced" },
  ],
};
/** An alias leak: SRIP-13 is not evidenced (a major finding counts against it), SRIP-03 still is. */
const leaking: Evidence = {
  ...clean,
  findings: [{ key: "ALIAS_SCOPE_LEAK@alias", severity: "major" }],
  claims: [
    { srip: "SRIP-03", status: "evidenced" },
    { srip: "SRIP-13", status: "not-evidenced" },
  ],
};
const nothingEvidenced: Evidence = { ...leaking, claims: [{ srip: "SRIP-13", status: "not-evidenced" }] };
const critical: Evidence = { ...clean, findings: [{ key: "LEAK@s2", severity: "critical" }] };
const drifting: Evidence = { ...clean, metrics: [{ id: "srs.composite_drift_index_mean.v1", value: 7000 }] };

it("honest votes with the sandbox facts: certify iff no critical finding and low DI", () => {
  expect(honestVote(clean).verdict).toBe("certify");
  expect(honestVote(critical).verdict).toBe("reject");
  expect(honestVote(drifting).verdict).toBe("reject");
  expect(honestVote(critical).findingOpinions).toEqual({ "LEAK@s2": "confirm" });
});

it("honest votes per claim from the evidence: grant iff evidenced; no evidenced claim, no certify", () => {
  expect(honestVote(clean).claims).toEqual({ "SRIP-03": "grant", "SRIP-13": "grant" });
  expect(honestVote(leaking)).toMatchObject({ verdict: "certify", claims: { "SRIP-03": "grant", "SRIP-13": "deny" } });
  expect(honestVote(nothingEvidenced)).toMatchObject({ verdict: "reject", claims: { "SRIP-13": "deny" } });
});

it("per claim: contrarian flips every claim, colluding grants all, lazy is honest when present", () => {
  expect(voteOf("contrarian", leaking, 0)?.claims).toEqual({ "SRIP-03": "deny", "SRIP-13": "grant" });
  expect(voteOf("colluding", leaking, 0)?.claims).toEqual({ "SRIP-03": "grant", "SRIP-13": "grant" });
  expect(voteOf("lazy", leaking, 0.9)).toEqual(honestVote(leaking));
});

it("each other profile deviates in its own way", () => {
  expect(voteOf("lazy", clean, 0.1)).toBeNull();
  expect(voteOf("lazy", clean, 0.9)?.verdict).toBe("certify");
  expect(voteOf("contrarian", clean, 0)?.verdict).toBe("reject");
  expect(voteOf("contrarian", critical, 0)?.verdict).toBe("certify");
  expect(voteOf("colluding", critical, 0)?.verdict).toBe("certify");
  expect(voteOf("colluding", critical, 0)?.findingOpinions).toEqual({ "LEAK@s2": "dispute" });
});

it("parses a population mix and refuses unknown profiles", () => {
  expect(parseMix("honest:2,lazy:1")).toEqual(["honest", "honest", "lazy"]);
  expect(() => parseMix("sleepy:1")).toThrow(/unknown profile/);
});

it("an agent client rebuilt from its stored key is the same validator key", () => {
  const { AgentClient } = require("../src/agent-client") as typeof import("../src/agent-client");
  const first = new AgentClient("http://127.0.0.1:1");
  const again = new AgentClient("http://127.0.0.1:1", fetch, first.privateKeyPem());
  expect(again.publicKey).toBe(first.publicKey);
  expect(new AgentClient("http://127.0.0.1:1").publicKey).not.toBe(first.publicKey);
});
