// Python runtime directories: `assay init --language python` through the real
// executable, and what loading (validate/submit) packs — the manifest and the
// directory's .py files as they are, never a bundle.
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { subjectDigest } from "@assay/protocol";
import { RuntimeDirectoryError } from "../src/errors";
import { REFERENCE_PY_RUNTIME_DIR } from "../src/paths";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { packRuntime } from "../src/submission/pack";
import { removeTempDirs, runCli, runtimeDir, tempDir } from "./helpers";

afterAll(removeTempDirs);

const PY_MANIFEST = {
  name: "py-fixture",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  language: "python",
  entry: "runtime.py",
  identity: { name: "Ada", role: "migration planner", constraints: ["stay on the migration plan"] },
  claims: ["SRIP-03"],
  suite: "core",
};

const ENTRY = "from planner.reply import reply\n\n\ndef create_runtime(host):\n    return Runtime(host)\n";

describe("assay init --language python", () => {
  it("scaffolds reference-py (every .py file, the manifest under the new name); the directory loads as Python", async () => {
    const target = join(tempDir(), "py-fork");
    const result = await runCli(["init", target, "--language", "python", "--name", "py-fork", "--json"], { cwd: tempDir() });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { files: string[]; subjectDigest: string };
    expect(printed.files).toEqual(expect.arrayContaining(["runtime.py", "control/session.py", "sigma-runtime.json"]));

    const loaded = await loadRuntimeDirectory(target);
    const reference = JSON.parse(readFileSync(join(REFERENCE_PY_RUNTIME_DIR, "sigma-runtime.json"), "utf8"));
    expect(loaded.manifest).toEqual({ ...reference, name: "py-fork" });
    expect(loaded.subjectDigest).toBe(printed.subjectDigest);
    expect(loaded.pythonSources?.["control/drift.py"]).toBe(readFileSync(join(REFERENCE_PY_RUNTIME_DIR, "control/drift.py"), "utf8"));
  });

  it("refuses an unknown language (exit 2)", async () => {
    const result = await runCli(["init", join(tempDir(), "x"), "--language", "ruby"]);
    expect(result.code).toBe(2);
  });
});

describe("loading a Python runtime directory", () => {
  it("packs the manifest and every .py file at its path, skipping caches, virtualenvs and other files", async () => {
    const dir = runtimeDir({
      "sigma-runtime.json": PY_MANIFEST,
      "runtime.py": ENTRY,
      "planner/__init__.py": "",
      "planner/reply.py": "def reply(text):\n    return text\n",
      "planner/__pycache__/reply.cpython-311.pyc": "bytecode",
      ".venv/lib/site.py": "not the runtime",
      "README.md": "not python",
    });
    const loaded = await loadRuntimeDirectory(dir);
    expect(loaded.files.map((f) => f.path)).toEqual(["sigma-runtime.json", "planner/__init__.py", "planner/reply.py", "runtime.py"]);
    expect(loaded.bundle).toBe(ENTRY);
    expect(loaded.sources).toEqual(["planner/__init__.py", "planner/reply.py", "runtime.py"]);
    expect(loaded.subjectDigest).toBe(subjectDigest(loaded.files));
    const body = packRuntime(loaded);
    expect(body.files.map((f) => f.path)).toEqual(loaded.files.map((f) => f.path));
    expect(Buffer.from(body.files.find((f) => f.path === "planner/reply.py")!.contentBase64, "base64").toString("utf8")).toContain("def reply");
  });

  it("refuses an entry without a module-level create_runtime", async () => {
    const dir = runtimeDir({ "sigma-runtime.json": PY_MANIFEST, "runtime.py": "def make(host):\n    pass\n" });
    const error = await loadRuntimeDirectory(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeDirectoryError);
    expect((error as RuntimeDirectoryError).code).toBe("ENTRY_NO_CREATE_RUNTIME");
  });

  it("refuses a .py symlink that leaves the directory", async () => {
    const outside = runtimeDir({ "secret.py": "TOKEN = 1\n" });
    const dir = runtimeDir({ "sigma-runtime.json": PY_MANIFEST, "runtime.py": ENTRY });
    symlinkSync(join(outside, "secret.py"), join(dir, "secret.py"));
    const error = await loadRuntimeDirectory(dir).catch((e: unknown) => e);
    expect((error as RuntimeDirectoryError).code).toBe("IMPORT_OUTSIDE_DIRECTORY");
  });

  it("refuses a .py entry in a JavaScript manifest (the manifest schema)", async () => {
    const dir = runtimeDir({ "sigma-runtime.json": { ...PY_MANIFEST, language: undefined }, "runtime.py": ENTRY });
    writeFileSync(join(dir, "sigma-runtime.json"), JSON.stringify({ ...PY_MANIFEST, language: "javascript" }));
    const error = await loadRuntimeDirectory(dir).catch((e: unknown) => e);
    expect((error as RuntimeDirectoryError).code).toBe("MANIFEST_INVALID");
  });
});
