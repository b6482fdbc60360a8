// Every plane's served OpenAPI document (/docs/<plane>-json) passes
// `redocly lint` with the committed ruleset (apps/api/redocly.yaml) with zero
// errors, and every route of the contract is typed in it: declared path
// parameters, a request body schema where the route parses one, a schema for
// its success response and the documented errors with the ApiError shape.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { contractRoutes, PLANES } from "../src/openapi";
import { startApi, type TestApi } from "./helpers";

const run = promisify(execFile);
const REDOCLY = require.resolve("@redocly/cli/bin/cli.js");
const CONFIG = join(__dirname, "..", "redocly.yaml");

let t: TestApi;
const documents: Record<string, any> = {};
let dir: string;

beforeAll(async () => {
  t = await startApi();
  dir = mkdtempSync(join(tmpdir(), "assay-openapi-"));
  for (const plane of PLANES) {
    const res = await t.call("GET", `/docs/${plane}-json`);
    expect(res.status).toBe(200);
    documents[plane] = res.body;
    writeFileSync(join(dir, `${plane}.json`), JSON.stringify(res.body));
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Problem = { ruleId: string; severity: string; message: string; location: { pointer?: string }[] };

async function lint(plane: string): Promise<{ totals: { errors: number; warnings: number }; problems: Problem[] }> {
  // lint exits non-zero on errors; the JSON report is on stdout either way.
  const args = [REDOCLY, "lint", join(dir, `${plane}.json`), "--config", CONFIG, "--format=json"];
  const { stdout, stderr } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string }) => ({
    stdout: err.stdout ?? "",
    stderr: err.stderr ?? "",
  }));
  if (!stdout.trim()) throw new Error(`redocly lint printed no report for ${plane}: ${stderr}`);
  return JSON.parse(stdout);
}

test.each(PLANES)("redocly lint: zero errors on the %s document", async (plane) => {
  if (process.env.ASSAY_OPENAPI_DUMP) writeFileSync(join(process.env.ASSAY_OPENAPI_DUMP, `${plane}.json`), JSON.stringify(documents[plane], null, 2));
  const report = await lint(plane);
  const errors = report.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId}: ${p.message} @ ${p.location.map((l) => l.pointer).join(", ")}`);
  expect(errors).toEqual([]);
  expect(report.totals.errors).toBe(0);
  // Visible in the CI log: warnings are allowed but counted.
  console.log(`redocly lint ${plane}: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
}, 60_000);

test("every contract route is in its plane's document, typed", () => {
  const routes = contractRoutes();
  expect(routes.length).toBeGreaterThan(30);
  const untyped = routes.filter((r) => r.success === null).map((r) => `${r.method.toUpperCase()} ${r.path} (${r.controller}.${r.handler}) has no @Returns`);
  expect(untyped).toEqual([]);
  for (const route of routes) {
    const operation = documents[route.plane].paths[route.path]?.[route.method];
    expect(operation).toBeDefined();
    const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    expect(operation.parameters.filter((p: { in: string }) => p.in === "path").map((p: { name: string }) => p.name).sort()).toEqual(pathParams.sort());
    if (route.body) expect(operation.requestBody.content["application/json"].schema).toBeDefined();
    const success = operation.responses[String(route.success!.status)];
    if (route.success!.schema) expect(Object.values(success.content)[0]).toHaveProperty("schema");
    const errorStatuses = Object.keys(operation.responses).filter((s) => Number(s) >= 400);
    expect(errorStatuses.length).toBeGreaterThan(0);
    for (const status of errorStatuses) {
      // A documented non-JSON error body (the badge's "unknown" SVG on 404) has that content type and a schema.
      const other = route.errorContent[Number(status)];
      if (other) expect(operation.responses[status].content[other].schema).toBeDefined();
      else expect(operation.responses[status].content["application/json"].schema.$ref).toBe("#/components/schemas/ApiError");
    }
    if (route.conditional) expect(operation.responses["304"]).toBeDefined();
  }
});

test("the documents cover every route Nest serves (nothing outside the contract)", () => {
  const documented = new Set(contractRoutes().map((r) => `${r.method} ${r.path}`));
  for (const plane of PLANES) {
    for (const [path, item] of Object.entries<Record<string, unknown>>(documents[plane].paths)) {
      for (const method of Object.keys(item).filter((k) => ["get", "post", "put", "delete", "patch"].includes(k))) expect(documented).toContain(`${method} ${path}`);
    }
  }
});
