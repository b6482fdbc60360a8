// Who the real assembly draw seats (docs/decisions/0012), end to end with the
// worker over PostgreSQL and Redis: pending validators (whatever stake they
// declared), suspended ones and one bound to the submitting developer are never
// in the snapshot nor seated; the admitted ones are, weighed by the approved
// stake. Seats are taken from the stored assembly, not recomputed.
import { generateKeyPairSync } from "node:crypto";
import { snapshotFromDocument } from "@assay/assembly";
import type { Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(180_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;
const admitted: string[] = [];
const excluded: Record<string, string> = {};

async function activate(i: number, declared: string): Promise<string> {
  const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  return (await api.validators.activate({ publicKey: x, stake: declared, kind: "agent", modelFamily: `family-${i}` })).id;
}

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true" });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  await api.flags.update({ "assembly.seatCount": 3, "assembly.modelFamilyDiversity": false, "assembly.reviewSeconds": 60 }, "test");
  const actor = "operator:test";
  for (let i = 0; i < 3; i++) {
    const id = await activate(i, "1");
    await api.admission.approve(id, { stake: "1000" }, actor);
    admitted.push(id);
  }
  // Ten pending validators declaring the largest stake the schema allows: the Sybil of issue 8.
  for (let i = 0; i < 10; i++) excluded[await activate(10 + i, "999999999999999999")] = "pending";
  const suspended = await activate(30, "1");
  await api.admission.approve(suspended, { stake: "1000000000" }, actor);
  await api.admission.suspend(suspended, { reason: "test" }, actor);
  excluded[suspended] = "suspended";
  const bound = await activate(31, "1");
  await api.admission.approve(bound, { stake: "1000000000" }, actor);
  await api.admission.bind(bound, { developerId }, actor);
  excluded[bound] = "bound to the submitter";
  worker = await startWorkerApp(env.config, { log: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

it("seats only admitted validators: never pending (declared 10^18−1), suspended, or bound to the submitting developer", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const seats = await waitFor(
    async () => {
      const assembly = await api.db.assembly.findUnique({ where: { submissionId: created.id } });
      if (!assembly) return null;
      const rows = await api.db.assemblySeat.findMany({ where: { assemblyId: assembly.id } });
      return rows.length > 0 ? { assembly, rows } : null;
    },
    "the assembly's seats",
    150_000,
    250,
  );
  const seated = seats.rows.map((s) => s.validatorId).sort();
  expect(seated).toEqual([...admitted].sort());
  const snapshot = snapshotFromDocument(seats.assembly.snapshot);
  expect([...snapshot.ids].sort()).toEqual([...admitted].sort());
  for (const id of Object.keys(excluded)) expect(snapshot.ids).not.toContain(id);
  // The weight is the approved stake (1000), never a declared figure.
  expect(snapshot.document.validators.every((v) => v.stake === "1000")).toBe(true);
});
