// A runtime is exactly the files of its directory (issue 14 §6, §8): a symlink
// to, an absolute import of, or a ../ import of a file elsewhere is refused
// before anything is uploaded, and so is an entry that is not a canonical
// artifact path. The CLI exits 2 with a message naming the file.
import { mkdirSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { RuntimeDirectoryError } from "../src/errors";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { VALID_MANIFEST, removeTempDirs, runCli, runtimeDir, tempDir, validRuntimeFiles, writeFiles } from "./helpers";

afterEach(removeTempDirs);

const SECRET = "outside-secret-7f3a";

async function loadError(dir: string): Promise<RuntimeDirectoryError> {
  const error = await loadRuntimeDirectory(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RuntimeDirectoryError)) throw new Error(`expected a RuntimeDirectoryError, got ${String(error)}`);
  return error;
}

function outsideModule(): string {
  const outside = runtimeDir({ "secret.ts": `export const reply = (t: string): string => t + ${JSON.stringify(SECRET)};\n` });
  return join(outside, "secret.ts");
}

describe("imports that resolve outside the runtime directory", () => {
  it("refuses a helper that is a symlink to a file elsewhere", async () => {
    const target = outsideModule();
    const dir = runtimeDir(validRuntimeFiles({ "src/reply.ts": "placeholder" }));
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "src/reply.ts"));
    symlinkSync(target, join(dir, "src/reply.ts"));
    const error = await loadError(dir);
    expect(error.code).toBe("IMPORT_OUTSIDE_DIRECTORY");
    expect(error.details.join("\n")).toContain(target);
    expect(error.details.join("\n")).toContain("outside the runtime directory");
  });

  it("refuses a symlinked directory pointing elsewhere", async () => {
    const target = outsideModule();
    const dir = runtimeDir(validRuntimeFiles({ "src/index.ts": 'import { reply } from "./lib/secret";\nexport function createRuntime() { return { step(t: { text: string }) { return { reply: reply(t.text), packet: null }; } }; }\n' }));
    symlinkSync(join(target, ".."), join(dir, "src/lib"));
    expect((await loadError(dir)).code).toBe("IMPORT_OUTSIDE_DIRECTORY");
  });

  it("refuses an absolute import and a ../ import", async () => {
    const target = outsideModule();
    for (const make of [() => target, (dir: string) => relative(join(dir, "src"), target)]) {
      const dir = tempDir();
      const specifier = make(dir);
      expect(specifier.startsWith("/") || specifier.startsWith("../")).toBe(true);
      writeFiles(dir, 
        validRuntimeFiles({
          "src/index.ts": `import { reply } from ${JSON.stringify(specifier.replace(/\.ts$/, ""))};\nexport function createRuntime() { return { step(t: { text: string }) { return { reply: reply(t.text), packet: null }; } }; }\n`,
        }),
      );
      const error = await loadError(dir);
      expect(error.code).toBe("IMPORT_OUTSIDE_DIRECTORY");
      expect(error.details.join("\n")).toContain(target);
    }
  });

  it("still bundles a package from the runtime's own node_modules", async () => {
    const dir = runtimeDir(
      validRuntimeFiles({
        "src/index.ts": 'import { reply } from "helper";\nexport function createRuntime() { return { step(t: { text: string }) { return { reply: reply(t.text), packet: null }; } }; }\n',
        "node_modules/helper/package.json": { name: "helper", version: "1.0.0", main: "index.js" },
        "node_modules/helper/index.js": "export const reply = (t) => `ok ${t}`;\n",
      }),
    );
    const loaded = await loadRuntimeDirectory(dir);
    expect(loaded.sources).toEqual(["node_modules/helper/index.js", "src/index.ts"]);
  });

  it("`assay validate` exits 2 with the reason, and the outside file's bytes appear nowhere", async () => {
    const target = outsideModule();
    const dir = runtimeDir(validRuntimeFiles({ "src/reply.ts": "placeholder" }));
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "src/reply.ts"));
    symlinkSync(target, join(dir, "src/reply.ts"));
    const result = await runCli(["validate", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("outside the runtime directory");
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  }, 60_000);
});

describe("non-canonical entry paths", () => {
  it.each(["src//index.ts", "src/./index.ts", "src\\index.ts", "src/\u202Eindex.ts", "src/in\u0000dex.ts"])("entry %j is refused (exit 2 class) with a clear message", async (entry) => {
    const dir = runtimeDir({ ...validRuntimeFiles(), "sigma-runtime.json": { ...VALID_MANIFEST, entry } });
    mkdirSync(join(dir, "src"), { recursive: true });
    const error = await loadError(dir);
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.exitCode).toBe(2);
    expect(error.details.join("\n")).toMatch(/entry: entry must be a canonical path/);
  });
});
