import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InitError, UsageError } from "../src/errors";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { nameFromDirectory, scaffoldRuntime } from "../src/scaffold/scaffold-runtime";
import { removeTempDirs, runtimeDir, tempDir, validRuntimeFiles } from "./helpers";

afterEach(removeTempDirs);

describe("scaffoldRuntime", () => {
  it("copies the template's manifest under the new name and every source its entry bundles, and the result loads", async () => {
    const templateDir = runtimeDir({ ...validRuntimeFiles(), "README.md": "not bundled", "test/x.test.ts": "not bundled" });
    const target = join(tempDir(), "new-runtime");

    const result = await scaffoldRuntime({ targetDir: target, name: "my-planner", force: false, templateDir });

    expect(result.files).toEqual(["sigma-runtime.json", "src/index.ts", "src/reply.ts"]);
    expect(readdirSync(target).sort()).toEqual(["sigma-runtime.json", "src"]);
    const manifest = JSON.parse(readFileSync(join(target, "sigma-runtime.json"), "utf8"));
    const templateManifest = JSON.parse(readFileSync(join(templateDir, "sigma-runtime.json"), "utf8"));
    expect(manifest).toEqual({ ...templateManifest, name: "my-planner" });
    expect(Object.keys(manifest)).toEqual(Object.keys(templateManifest));
    expect(readFileSync(join(target, "src/reply.ts"), "utf8")).toBe(readFileSync(join(templateDir, "src/reply.ts"), "utf8"));

    const loaded = await loadRuntimeDirectory(target);
    expect(loaded.manifest.name).toBe("my-planner");
    expect(loaded.subjectDigest).toBe(result.subjectDigest);
  });

  it("derives the name from the directory when --name is not given", async () => {
    const target = join(tempDir(), "My Planner v2");
    const result = await scaffoldRuntime({ targetDir: target, force: false, templateDir: runtimeDir(validRuntimeFiles()) });
    expect(result.name).toBe("my-planner-v2");
  });

  it.each([
    ["My Runtime!", "my-runtime"],
    ["__x__", "x"],
    ["...", "my-runtime"],
    ["a".repeat(80), "a".repeat(64)],
  ])("nameFromDirectory(%j) = %j", (dir, name) => expect(nameFromDirectory(`/tmp/${dir}`)).toBe(name));

  it("refuses a non-empty directory without force, and leaves it untouched", async () => {
    const target = runtimeDir({ "notes.txt": "mine" });
    const error = await scaffoldRuntime({ targetDir: target, force: false, templateDir: runtimeDir(validRuntimeFiles()) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InitError);
    expect((error as InitError).code).toBe("TARGET_NOT_EMPTY");
    expect((error as InitError).details).toEqual(["notes.txt"]);
    expect(readdirSync(target)).toEqual(["notes.txt"]);
  });

  it("with force, writes into a non-empty directory and keeps unrelated files", async () => {
    const target = runtimeDir({ "notes.txt": "mine", "sigma-runtime.json": "old" });
    await scaffoldRuntime({ targetDir: target, name: "forced", force: true, templateDir: runtimeDir(validRuntimeFiles()) });
    expect(readFileSync(join(target, "notes.txt"), "utf8")).toBe("mine");
    expect(JSON.parse(readFileSync(join(target, "sigma-runtime.json"), "utf8")).name).toBe("forced");
  });

  it("rejects an invalid name before writing anything", async () => {
    const target = join(tempDir(), "fresh");
    const error = await scaffoldRuntime({ targetDir: target, name: "Bad Name", force: false, templateDir: runtimeDir(validRuntimeFiles()) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses a target that is a file", async () => {
    const parent = runtimeDir({ "file.txt": "x" });
    const error = await scaffoldRuntime({ targetDir: join(parent, "file.txt"), force: true, templateDir: runtimeDir(validRuntimeFiles()) }).catch((e: unknown) => e);
    expect((error as InitError).code).toBe("TARGET_NOT_DIRECTORY");
  });

  it("reports an unusable template as such", async () => {
    const template = runtimeDir({ "sigma-runtime.json": "{" });
    const error = await scaffoldRuntime({ targetDir: join(tempDir(), "t"), force: false, templateDir: template }).catch((e: unknown) => e);
    expect((error as InitError).code).toBe("TEMPLATE_UNUSABLE");
    expect((error as InitError).message).toMatch(/template .* is unusable: .*not valid JSON/);
  });

  it("never scaffolds over the template itself, even with force", async () => {
    const template = runtimeDir(validRuntimeFiles());
    const before = readFileSync(join(template, "sigma-runtime.json"), "utf8");
    const error = await scaffoldRuntime({ targetDir: template, name: "other", force: true, templateDir: template }).catch((e: unknown) => e);
    expect((error as InitError).code).toBe("TARGET_IS_TEMPLATE");
    expect(readFileSync(join(template, "sigma-runtime.json"), "utf8")).toBe(before);
  });
});
