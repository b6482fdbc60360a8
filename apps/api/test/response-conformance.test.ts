// Response conformance (issue 10 point 1): every route of every plane is called
// on the real API (PostgreSQL, Redis) with its plane's credential, and every
// answer must match the contract: a documented status, a success body that
// parses with the route's response schema (strict objects: no undocumented
// field), an error body in the ApiError shape. Routes with a hand-made sample
// must reach their success answer; routes without one (added later) are called
// with requests generated from their schemas and must still conform.
import { contractRoutes } from "../src/openapi";
import { conformanceProblems } from "./contract/conformance";
import { createWorld, generatedRequest, keyOf, type World } from "./contract/world";

jest.setTimeout(120_000);

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

test("every route answers within its contract; sampled routes succeed", async () => {
  const routes = contractRoutes();
  const problems: string[] = [];
  const notSucceeded: string[] = [];
  const unsampled: string[] = [];
  for (const route of routes) {
    const sample = world.samples.get(keyOf(route));
    if (!sample) unsampled.push(keyOf(route));
    const requests = sample ? [await sample()] : [1, 2, 3].map((seed) => generatedRequest(route, seed));
    for (const request of requests) {
      const answer = await world.call(route, request);
      problems.push(...conformanceProblems(route, answer));
      if (sample && answer.status !== route.success?.status) notSucceeded.push(`${keyOf(route)} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
  console.log(`response conformance: ${routes.length} routes, ${routes.length - unsampled.length} with a success sample; generated only: ${unsampled.join(", ") || "none"}`);
  expect(problems).toEqual([]);
  expect(notSucceeded).toEqual([]);
});

test("the samples name only routes that exist (no stale sample)", () => {
  const keys = new Set(contractRoutes().map(keyOf));
  expect([...world.samples.keys()].filter((k) => !keys.has(k))).toEqual([]);
});
