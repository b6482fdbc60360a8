// The contract checks used by the conformance and fuzz suites can fail: a 5xx,
// an undocumented status, an error body that is not ApiError, a success body
// with an undocumented field or a wrong type, and a bad SSE event are all caught.
import { DeveloperViewSchema } from "@assay/protocol";
import fc from "fast-check";
import { contractRoutes } from "../src/openapi";
import { jsonSchemaOf } from "../src/http/zod-pipe";
import { validOf } from "./contract/arbitraries";
import { conformanceProblems } from "./contract/conformance";

const routes = contractRoutes();
const me = routes.find((r) => r.method === "get" && r.path === "/v1/developer/me")!;
const events = routes.find((r) => r.path === "/v1/developer/submissions/{id}/events")!;
const headers = new Headers();
const developer = { id: "6f1c2b9e-0a4d-4c1e-9f3a-2b7d8e9f0a1b", email: "a@example.test", name: "A", createdAt: "2026-12-02T01:00:00.000Z" };

test("a conforming answer has no problems", () => {
  expect(me.success?.schema).toBe(DeveloperViewSchema);
  expect(conformanceProblems(me, { status: 200, body: developer, headers })).toEqual([]);
  expect(conformanceProblems(me, { status: 401, body: { error: { code: "credential_missing", message: "m" } }, headers })).toEqual([]);
});

test.each([
  ["a 500", { status: 500, body: { error: { code: "internal_error", message: "internal error" } } }, /server error/],
  ["an undocumented status", { status: 404, body: { error: { code: "x", message: "m" } } }, /undocumented error status/],
  ["an error body that is not ApiError", { status: 401, body: { message: "nope" } }, /not ApiError/],
  ["an undocumented field", { status: 200, body: { ...developer, passwordHash: "x" } }, /violates the response schema/],
  ["a wrong type", { status: 200, body: { ...developer, createdAt: 5 } }, /violates the response schema/],
  ["another success status", { status: 201, body: developer }, /documented as 200/],
])("%s is caught", (_name, answer, pattern) => {
  expect(conformanceProblems(me, { ...answer, headers }).join("\n")).toMatch(pattern);
});

test("an SSE event whose data is not a SubmissionView is caught", () => {
  const body = `event: submission\nid: 1\ndata: ${JSON.stringify({ id: "x" })}\n\n`;
  expect(conformanceProblems(events, { status: 200, body, headers }).join("\n")).toMatch(/event submission violates/);
});

test("values generated from a route's schema parse with that schema (the generator is faithful)", () => {
  const checked = routes.filter((r) => r.body && !["post /v1/public/verify"].includes(`${r.method} ${r.path}`));
  let parsed = 0;
  for (const route of checked) {
    for (const value of fc.sample(validOf(jsonSchemaOf(route.body!)), { seed: 1, numRuns: 20 })) if (route.body!.safeParse(value).success) parsed++;
  }
  // zod refinements beyond JSON Schema (base64 contents, cross-field rules) may refuse some; most must parse.
  expect(parsed / (checked.length * 20)).toBeGreaterThan(0.5);
});
