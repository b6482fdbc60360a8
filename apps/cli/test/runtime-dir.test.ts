import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { subjectDigest } from "@assay/protocol";
import { RuntimeDirectoryError } from "../src/errors";
import { artifactEntryPath, loadRuntimeDirectory } from "../src/runtime-dir";
import { VALID_ENTRY, VALID_MANIFEST, removeTempDirs, runtimeDir, validRuntimeFiles, writeFiles } from "./helpers";

afterEach(removeTempDirs);

async function loadError(dir: string): Promise<RuntimeDirectoryError> {
  const error = await loadRuntimeDirectory(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RuntimeDirectoryError)) throw new Error(`expected a RuntimeDirectoryError, got ${String(error)}`);
  return error;
}

describe("loadRuntimeDirectory", () => {
  it("loads manifest, bundles a multi-file TypeScript entry into one ES module, lists the artifact", async () => {
    const dir = runtimeDir(validRuntimeFiles());
    const loaded = await loadRuntimeDirectory(dir);

    expect(loaded.manifest.name).toBe("fixture-runtime");
    expect(loaded.manifestText).toBe(readFileSync(join(dir, "sigma-runtime.json"), "utf8"));
    expect(loaded.entryPath).toBe(join(loaded.dir, "src/index.ts"));
    expect(loaded.sources).toEqual(["src/index.ts", "src/reply.ts"]);
    expect(loaded.bundle).toMatch(/export\s*\{\s*createRuntime\s*\}/);
    expect(loaded.bundle).toContain("noted: ");
    expect(loaded.bundle).not.toMatch(/\bimport\b.*from/); // self-contained
    expect(loaded.bundle).not.toContain(": string"); // types stripped
    expect(loaded.files.map((f) => f.path)).toEqual(["sigma-runtime.json", "src/index.js"]);
    expect(loaded.subjectDigest).toBe(subjectDigest(loaded.files));
    expect(loaded.subjectDigest).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("gives the same bundle bytes and subject digest across loads, copies and file-time changes", async () => {
    const first = await loadRuntimeDirectory(runtimeDir(validRuntimeFiles()));
    const copyDir = runtimeDir(validRuntimeFiles());
    const past = new Date("2001-02-03T04:05:06Z");
    utimesSync(join(copyDir, "src/index.ts"), past, past);
    utimesSync(join(copyDir, "sigma-runtime.json"), past, past);
    const second = await loadRuntimeDirectory(copyDir);
    const third = await loadRuntimeDirectory(copyDir);

    expect(second.bundle).toBe(first.bundle);
    expect(second.subjectDigest).toBe(first.subjectDigest);
    expect(third.subjectDigest).toBe(first.subjectDigest);
  });

  it("ignores any tsconfig.json around the runtime: the same sources give the same bundle anywhere", async () => {
    const entry = "class Loop { turns = 0; }\nexport function createRuntime() { return new Loop(); }\n";
    const plain = await loadRuntimeDirectory(runtimeDir(validRuntimeFiles({ "src/index.ts": entry })));
    const nested = runtimeDir({ "tsconfig.json": { compilerOptions: { useDefineForClassFields: false, target: "es5" } } });
    writeFiles(join(nested, "rt"), { ...validRuntimeFiles({ "src/index.ts": entry }), "tsconfig.json": { compilerOptions: { useDefineForClassFields: false } } });
    const underProject = await loadRuntimeDirectory(join(nested, "rt"));

    expect(plain.bundle).toMatch(/turns = 0;/); // a class field, not a constructor assignment
    expect(underProject.bundle).toBe(plain.bundle);
    expect(underProject.subjectDigest).toBe(plain.subjectDigest);
  });

  it("changes the subject digest when a bundled source or the manifest bytes change", async () => {
    const dir = runtimeDir(validRuntimeFiles());
    const before = await loadRuntimeDirectory(dir);
    writeFileSync(join(dir, "src/reply.ts"), "export const reply = (text: string): string => `seen: ${text}`;\n");
    const afterSource = await loadRuntimeDirectory(dir);
    writeFileSync(join(dir, "sigma-runtime.json"), JSON.stringify(VALID_MANIFEST));
    const afterManifest = await loadRuntimeDirectory(dir);

    expect(afterSource.subjectDigest).not.toBe(before.subjectDigest);
    expect(afterManifest.subjectDigest).not.toBe(afterSource.subjectDigest);
  });

  it("keeps a JavaScript entry's path in the artifact", async () => {
    const dir = runtimeDir({
      "sigma-runtime.json": { ...VALID_MANIFEST, entry: "runtime.mjs" },
      "runtime.mjs": "export function createRuntime() { return { step() { return { reply: '', packet: null }; } }; }\n",
    });
    const loaded = await loadRuntimeDirectory(dir);
    expect(loaded.files.map((f) => f.path)).toEqual(["sigma-runtime.json", "runtime.mjs"]);
  });

  it.each([
    ["a missing directory", () => join(runtimeDir({}), "nope"), "DIRECTORY_MISSING", /does not exist/],
    ["a file instead of a directory", () => join(runtimeDir({ "f.txt": "x" }), "f.txt"), "NOT_A_DIRECTORY", /not a directory/],
    ["no manifest", () => runtimeDir({ "src/index.ts": VALID_ENTRY }), "MANIFEST_MISSING", /no sigma-runtime\.json/],
  ])("rejects %s", async (_label, makeDir, code, message) => {
    const error = await loadError(makeDir());
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("reports where a manifest stops being JSON", async () => {
    const dir = runtimeDir(validRuntimeFiles({ "sigma-runtime.json": '{\n  "name": "x",\n  "version": 1.0.0\n}\n' }));
    const error = await loadError(dir);
    expect(error.code).toBe("MANIFEST_NOT_JSON");
    expect(error.message).toMatch(/not valid JSON: .* at line 3, column 17$/);
  });

  it("reports a truncated manifest at its end", async () => {
    const error = await loadError(runtimeDir(validRuntimeFiles({ "sigma-runtime.json": '{\n"name": "x",' })));
    expect(error.code).toBe("MANIFEST_NOT_JSON");
    expect(error.message).toMatch(/line 2, column 13$/);
  });

  it("names every invalid manifest field with its path", async () => {
    const manifest = { ...VALID_MANIFEST, version: "one", identity: { ...VALID_MANIFEST.identity, constraints: [""] }, extra: 1 };
    const error = await loadError(runtimeDir(validRuntimeFiles({ "sigma-runtime.json": manifest })));
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: .*semver/),
        expect.stringMatching(/^identity\.constraints\[0\]: /),
        expect.stringMatching(/^\(root\): .*extra/),
      ]),
    );
    expect(error.details).toHaveLength(3);
  });

  it("rejects a manifest whose entry does not exist", async () => {
    const error = await loadError(runtimeDir({ "sigma-runtime.json": VALID_MANIFEST }));
    expect(error.code).toBe("ENTRY_MISSING");
    expect(error.message).toContain("src/index.ts");
  });

  it.each([
    ["a CommonJS entry", "module.exports = { createRuntime() {} };\n", "ENTRY_NOT_MODULE", /CommonJS/],
    ["a script with no exports", "const x = 1;\n", "ENTRY_NOT_MODULE", /not an ES module/],
    ["a module without createRuntime", "export const make = () => 1;\n", "ENTRY_NO_CREATE_RUNTIME", /does not export createRuntime \(it exports: make\)/],
    ["a syntax error", "export function createRuntime( {\n", "ENTRY_BUNDLE_FAILED", /cannot be bundled/],
    ["an unresolvable import", 'import x from "./nowhere";\nexport const createRuntime = x;\n', "ENTRY_BUNDLE_FAILED", /cannot be bundled/],
  ])("rejects %s", async (_label, entry, code, message) => {
    const error = await loadError(runtimeDir(validRuntimeFiles({ "src/index.ts": entry })));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("refuses Node built-ins anywhere in the import graph, naming each one and where", async () => {
    const dir = runtimeDir(
      validRuntimeFiles({
        "src/index.ts": 'import { reply } from "./reply";\nimport { readFileSync } from "node:fs";\nexport const createRuntime = () => ({ reply, readFileSync });\n',
        "src/reply.ts": 'import os from "os";\nexport const reply = os.hostname;\n',
      }),
    );
    const error = await loadError(dir);
    expect(error.code).toBe("ENTRY_FORBIDDEN_IMPORT");
    expect(error.details).toEqual([
      expect.stringMatching(/^src\/index\.ts:2:\d+: imports the Node\.js built-in module "node:fs"/),
      expect.stringMatching(/^src\/reply\.ts:1:\d+: imports the Node\.js built-in module "os"/),
    ]);
  });

  it("accepts a re-exported createRuntime", async () => {
    const dir = runtimeDir(
      validRuntimeFiles({
        "src/index.ts": 'export { createRuntime } from "./impl";\n',
        "src/impl.ts": "export function createRuntime() { return { step() { return null; } }; }\n",
      }),
    );
    await expect(loadRuntimeDirectory(dir)).resolves.toMatchObject({ sources: ["src/impl.ts", "src/index.ts"] });
  });

  it("refuses an entry that is a symlink to a file outside the directory", async () => {
    const outside = runtimeDir({ "evil.ts": "export function createRuntime() { return { step() { return null; } }; }\n" });
    const dir = runtimeDir({ "sigma-runtime.json": VALID_MANIFEST });
    mkdirSync(join(dir, "src"));
    symlinkSync(join(outside, "evil.ts"), join(dir, "src/index.ts"));
    const error = await loadError(dir);
    expect(error.code).toBe("ENTRY_OUTSIDE_DIRECTORY");
  });

  it("reads a manifest that starts with a UTF-8 byte-order mark, keeping its bytes in the artifact", async () => {
    const text = `\uFEFF${JSON.stringify(VALID_MANIFEST)}`;
    const loaded = await loadRuntimeDirectory(runtimeDir(validRuntimeFiles({ "sigma-runtime.json": text })));
    expect(loaded.manifest.name).toBe(VALID_MANIFEST.name);
    expect(loaded.manifestText).toBe(text);
  });

  it("rejects a bundle over the size cap", async () => {
    const dir = runtimeDir(validRuntimeFiles({ "src/reply.ts": `export const reply = (t: string): string => t + ${JSON.stringify("x".repeat(5000))};\n` }));
    const error = await loadRuntimeDirectory(dir, { maxBundleBytes: 4096 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeDirectoryError);
    expect((error as RuntimeDirectoryError).code).toBe("BUNDLE_TOO_LARGE");
    expect((error as RuntimeDirectoryError).message).toMatch(/the limit is 4096 bytes/);
  });
});

describe("artifactEntryPath", () => {
  it.each([
    ["src/index.ts", "src/index.js"],
    ["index.mts", "index.mjs"],
    ["./runtime.js", "runtime.js"],
    ["a.mjs", "a.mjs"],
  ])("%s → %s", (entry, expected) => expect(artifactEntryPath(entry)).toBe(expected));
});
