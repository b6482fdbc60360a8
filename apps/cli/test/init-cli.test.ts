// `assay init` through the real executable, scaffolding from examples/runtimes/reference.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { REFERENCE_RUNTIME_DIR } from "../src/paths";
import { removeTempDirs, runCli, tempDir } from "./helpers";

afterAll(removeTempDirs);

describe("assay init", () => {
  it("scaffolds the reference runtime under a new name; the directory then loads", async () => {
    const target = join(tempDir(), "atlas-fork");
    const result = await runCli(["init", target, "--name", "atlas-fork", "--json"], { cwd: tempDir() });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { dir: string; name: string; files: string[]; subjectDigest: string };
    expect(printed).toMatchObject({ dir: target, name: "atlas-fork" });

    const reference = JSON.parse(readFileSync(join(REFERENCE_RUNTIME_DIR, "sigma-runtime.json"), "utf8"));
    const loaded = await loadRuntimeDirectory(target);
    expect(loaded.manifest).toEqual({ ...reference, name: "atlas-fork" });
    expect(loaded.subjectDigest).toBe(printed.subjectDigest);
    expect(printed.files).toContain(reference.entry);
    expect(readFileSync(join(target, reference.entry), "utf8")).toBe(readFileSync(join(REFERENCE_RUNTIME_DIR, reference.entry), "utf8"));
  });

  it("prints what it created and the next step, without --json", async () => {
    const target = join(tempDir(), "plain");
    const result = await runCli(["init", target]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created runtime "plain" in /);
    expect(result.stdout).toMatch(/Next: assay validate /);
  });

  it("refuses a non-empty directory without --force (exit 2), accepts it with --force", async () => {
    const target = tempDir();
    writeFileSync(join(target, "keep.txt"), "mine");

    const refused = await runCli(["init", target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty .*use --force/);
    expect(refused.stdout).toBe("");

    const forced = await runCli(["init", target, "--force", "--name", "forced"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(target, "keep.txt"), "utf8")).toBe("mine");
    expect((await loadRuntimeDirectory(target)).manifest.name).toBe("forced");
  });
});
