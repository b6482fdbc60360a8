import { honestVote, parseMix, voteOf, type Evidence } from "../src/profiles";

const clean: Evidence = { auditVerdict: "pass", metrics: [{ id: "srs.composite_drift_index_mean.v1", value: 1200 }], findings: [{ key: "MINOR_THING@s1", severity: "minor" }] };
const critical: Evidence = { ...clean, findings: [{ key: "LEAK@s2", severity: "critical" }] };
const drifting: Evidence = { ...clean, metrics: [{ id: "srs.composite_drift_index_mean.v1", value: 7000 }] };

it("honest votes with the sandbox facts: certify iff no critical finding and low DI", () => {
  expect(honestVote(clean).verdict).toBe("certify");
  expect(honestVote(critical).verdict).toBe("reject");
  expect(honestVote(drifting).verdict).toBe("reject");
  expect(honestVote(critical).findingOpinions).toEqual({ "LEAK@s2": "confirm" });
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
