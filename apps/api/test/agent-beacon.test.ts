// The beacon routes of the agent plane over HTTP (docs/decisions/0009,
// "Beacon"): an admitted validator contributes once to an open window; every
// refusal (not admitted, malformed, unknown assembly, window closed by phase or
// by time, a second contribution) is a typed 4xx and writes nothing; the
// platform's secret share is in no answer before the draw.
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { samplePackedRuntime } from "@assay/platform";
import { startApi, type TestApi } from "./helpers";

jest.setTimeout(60_000);

let t: TestApi;
let admitted: { id: string; token: string };
let other: { id: string; token: string };
let pending: { id: string; token: string };
const secret = `0x${randomBytes(32).toString("hex")}`;
const commitment = `0x${createHash("sha256").update(Buffer.from(secret.slice(2), "hex")).digest("hex")}`;
const assemblies = { open: "", expired: "", drawn: "" };

const hex32 = () => `0x${randomBytes(32).toString("hex")}`;

async function validator(standing: "active" | "probation" | "pending" | "suspended") {
  const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  const { id } = await t.platform.validators.activate({ publicKey, stake: "1000", kind: "person" });
  await t.platform.db.validator.update({ where: { id }, data: { standing } });
  return { id, token: (await t.platform.tokens.issue("agent", id)).token };
}

/** An assembly row in the given phase (a fixture: opening one for real needs an audited submission and a worker). */
async function assembly(phase: "beacon" | "review", endsInMs: number): Promise<string> {
  const developer = await t.platform.developers.create({ email: `beacon-${randomUUID()}@example.test`, name: "Beacon" });
  const submission = await t.platform.submissions.create(developer.id, samplePackedRuntime());
  const now = Date.now();
  const reportDigest = hex32();
  const row = await t.platform.db.assembly.create({
    data: {
      submissionId: submission.id,
      round: 1,
      phase,
      phaseStartedAt: new Date(now),
      phaseEndsAt: new Date(now + endsInMs),
      params: {},
      findings: [],
      reportDigest,
      snapshot: { format: "assay.eligible-snapshot/v1", validators: [{ id: admitted.id }, { id: other.id }] },
      snapshotDigest: hex32(),
      beaconCommitment: commitment,
      beaconSecret: secret,
      beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest, commitment, windowEndsAt: new Date(now + endsInMs).toISOString(), afterBlock: null },
    },
  });
  return row.id;
}

beforeAll(async () => {
  t = await startApi();
  admitted = await validator("active");
  other = await validator("probation");
  pending = await validator("pending");
  assemblies.open = await assembly("beacon", 60_000);
  assemblies.expired = await assembly("beacon", -1_000);
  assemblies.drawn = await assembly("review", 60_000);
});

afterAll(async () => {
  await t?.close();
});

const contribute = (who: { token: string }, assemblyId: string, json: unknown) => t.call("POST", `/v1/agent/assemblies/${assemblyId}/beacon`, { token: who.token, json });
const rows = () => t.platform.db.beaconContribution.count();

it("lists open windows to admitted validators only, without the secret share", async () => {
  const listed = await t.call("GET", "/v1/agent/beacons", { token: admitted.token });
  expect(listed.status).toBe(200);
  expect(listed.body.beacons).toEqual([expect.objectContaining({ assemblyId: assemblies.open, commitment, contributed: false })]);
  expect((await t.call("GET", "/v1/agent/beacons", { token: pending.token })).body).toEqual({ beacons: [] });
  const view = await t.call("GET", `/v1/agent/assemblies/${assemblies.open}/beacon`, { token: pending.token });
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({ state: "collecting", commitment, beacon: null, inputs: null, yourContribution: null });
  for (const body of [listed.body, view.body]) expect(JSON.stringify(body)).not.toContain(secret.slice(2));
});

it("refuses with typed 4xx answers and writes nothing", async () => {
  const before = await rows();
  const cases: [Promise<{ status: number; body: any }>, number, string][] = [
    [contribute(pending, assemblies.open, { value: hex32() }), 403, "not_admitted"],
    [contribute(admitted, assemblies.open, { value: "0x1234" }), 400, "invalid_contribution"],
    [contribute(admitted, assemblies.open, { value: hex32(), extra: true }), 400, "invalid_contribution"],
    [contribute(admitted, assemblies.open, {}), 400, "invalid_contribution"],
    [contribute(admitted, "not-a-uuid", { value: hex32() }), 400, "request_invalid"],
    [contribute(admitted, randomUUID(), { value: hex32() }), 404, "assembly_not_found"],
    [contribute(admitted, assemblies.expired, { value: hex32() }), 409, "beacon_closed"],
    [contribute(admitted, assemblies.drawn, { value: hex32() }), 409, "beacon_closed"],
    [t.call("POST", `/v1/agent/assemblies/${assemblies.open}/beacon`, { json: { value: hex32() } }), 401, "credential_missing"],
  ];
  for (const [call, status, code] of cases) {
    const res = await call;
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  }
  expect(await rows()).toBe(before);
});

it("accepts one contribution per validator; a second is 409 already_contributed", async () => {
  const value = hex32();
  const first = await contribute(admitted, assemblies.open, { value: value.toUpperCase().replace("0X", "0x") });
  expect(first.status).toBe(201);
  expect(first.body).toEqual({ assemblyId: assemblies.open, validatorId: admitted.id, value, accepted: true });
  const again = await contribute(admitted, assemblies.open, { value: hex32() });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe("already_contributed");
  const stored = await t.platform.db.beaconContribution.findMany({ where: { assemblyId: assemblies.open } });
  expect(stored.map((c) => [c.validatorId, c.value])).toEqual([[admitted.id, value]]);
  expect((await t.call("GET", "/v1/agent/beacons", { token: admitted.token })).body.beacons[0]).toMatchObject({ assemblyId: assemblies.open, contributed: true });
  expect((await t.call("GET", `/v1/agent/assemblies/${assemblies.open}/beacon`, { token: admitted.token })).body).toMatchObject({ state: "collecting", yourContribution: value, included: null });
  // A probation validator is admitted too.
  expect((await contribute(other, assemblies.open, { value: hex32() })).status).toBe(201);
});
