// The real executable against unreadable runtime directories: exit 2, a message
// naming the problem on stderr, nothing on stdout (even with --json).
import { join } from "node:path";
import { VALID_MANIFEST, removeTempDirs, runCli, runtimeDir, validRuntimeFiles } from "./helpers";

afterAll(removeTempDirs);

const cases: Array<[string, () => string, RegExp]> = [
  ["a missing directory", () => join(runtimeDir({}), "missing"), /runtime directory .*missing does not exist/],
  ["no manifest", () => runtimeDir({ "index.js": "export const createRuntime = 1;" }), /no sigma-runtime\.json in /],
  ["broken JSON", () => runtimeDir(validRuntimeFiles({ "sigma-runtime.json": '{ "name": "x", }' })), /sigma-runtime\.json is not valid JSON: .* at line 1, column 16/],
  [
    "an invalid manifest",
    () => runtimeDir(validRuntimeFiles({ "sigma-runtime.json": { ...VALID_MANIFEST, protocol: "sigma-runtime/9" } })),
    /not a valid runtime manifest[\s\S]*\n {2}- protocol: /,
  ],
  ["a missing entry", () => runtimeDir({ "sigma-runtime.json": VALID_MANIFEST }), /entry src\/index\.ts named in sigma-runtime\.json does not exist/],
  ["a non-module entry", () => runtimeDir(validRuntimeFiles({ "src/index.ts": "module.exports = {};\n" })), /src\/index\.ts is a CommonJS module/],
  [
    "an entry importing fs",
    () => runtimeDir(validRuntimeFiles({ "src/index.ts": 'import * as fs from "fs";\nexport const createRuntime = () => fs;\n' })),
    /src\/index\.ts:1:\d+: imports the Node\.js built-in module "fs"/,
  ],
];

describe("assay validate on an unreadable runtime directory", () => {
  it.each(cases)("%s → exit 2 naming the problem", async (_label, makeDir, message) => {
    const dir = makeDir();
    const results = await Promise.all([runCli(["validate", dir]), runCli(["validate", dir, "--json"])]);
    for (const result of results) {
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
      expect(result.code).toBe(2);
    }
  });
});

describe("assay usage errors", () => {
  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["validate"], /missing required argument 'dir'/],
    [["validate", ".", "--colour"], /unknown option '--colour'/],
    [["init", "x", "--name", "Not A Name"], /invalid --name: /],
    [[], /Usage: assay/],
    [["validate", ".", "--seed", "-1"], /invalid --seed: must be a whole number/],
    [["validate", ".", "--seed", "1.5"], /invalid --seed: must be a whole number between 0 and 4294967295/],
    [["validate", ".", "--seed", "4294967296"], /invalid --seed: must be a whole number between 0 and 4294967295/],
    [["validate", ".", "--suite", "Core!"], /invalid --suite: /],
  ])("assay %j → exit 2", async (args, message) => {
    const result = await runCli(args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it("--help prints usage on stdout and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: assay[\s\S]*init[\s\S]*validate/);
  });
});
