// The layer rules as a lint that fails CI: dependency-cruiser with the repo's
// committed config (.dependency-cruiser.cjs, docs/architecture.md "Packages and
// their rules") over every workspace's src/ must report no violation. The
// second part plants one violation per rule in a throwaway mini-monorepo (real
// files, real package.json `exports`, workspace symlinks) and proves the same
// config catches each, and leaves the allowed imports alone.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./support/layer-rules";

jest.setTimeout(300_000);

const CONFIG = join(REPO_ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = join(REPO_ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");

type Violation = { from: string; to: string; rule: { name: string; severity: string } };
type CruiseResult = { modules: { source: string; dependencies: { resolved: string }[] }[]; summary: { violations: Violation[]; error: number } };

function cruise(cwd: string, targets: string[]): { status: number | null; result: CruiseResult; stderr: string } {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--output-type", "json", ...targets], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`depcruise wrote nothing (status ${run.status}): ${run.stderr}`);
  return { status: run.status, result: JSON.parse(run.stdout) as CruiseResult, stderr: run.stderr };
}

const workspaceSources = (root: string) =>
  ["apps", "packages"].flatMap((group) => readdirSync(join(root, group)).map((ws) => `${group}/${ws}/src`)).filter((dir) => {
    try {
      return readdirSync(join(root, dir)).length > 0;
    } catch {
      return false;
    }
  });

describe("dependency-cruiser over the repository", () => {
  let run: ReturnType<typeof cruise>;
  beforeAll(() => {
    run = cruise(REPO_ROOT, workspaceSources(REPO_ROOT));
  });

  test("no import crosses the documented layers", () => {
    expect(run.result.summary.violations.map((v) => `${v.from} → ${v.to} (${v.rule.name})`)).toEqual([]);
    expect(run.status).toBe(0);
  });

  test("the cruise sees every workspace and resolves workspace packages and Prisma to real paths", () => {
    const sources = new Set(run.result.modules.map((m) => m.source));
    for (const file of ["apps/api/src/main.ts", "apps/web/src/main.tsx", "packages/protocol/src/index.ts", "packages/audit/src/index.ts"]) expect(sources).toContain(file);
    const resolved = new Set(run.result.modules.flatMap((m) => m.dependencies.map((d) => d.resolved)));
    expect(resolved).toContain("packages/protocol/src/index.ts");
    expect([...resolved].some((r) => /^packages\/platform\/src\/generated\/prisma\//.test(r) || /node_modules\/(@prisma|\.prisma)\//.test(r))).toBe(true);
    expect([...resolved].some((r) => r.startsWith("node_modules/@nestjs/"))).toBe(true);
  });
});

describe("each rule catches a planted violation (a throwaway mini-monorepo)", () => {
  let root: string;
  let byFile: Map<string, string[]>;
  let status: number | null;
  let violations: number;

  const PLANTED: [file: string, source: string, rule: string][] = [
    ["packages/protocol/src/bad.ts", `import "@assay/platform";`, "protocol-imports-nothing-of-ours"],
    ["packages/audit/src/bad.ts", `import "@assay/platform";`, "audit-assembly-chain-import-only-protocol"],
    ["packages/chain/src/bad.ts", `import "@assay/audit";`, "audit-assembly-chain-import-only-protocol"],
    ["packages/assembly/src/bad.ts", `import "@nestjs/common";`, "pure-packages-have-no-framework"],
    ["packages/platform/src/bad.ts", `import "@assay/api";`, "packages-never-import-apps"],
    ["apps/api/src/bad-app.ts", `import "@assay/worker";`, "apps-never-import-each-other"],
    ["apps/worker/src/bad-relative.ts", `import "../../api/src/index";`, "no-relative-import-into-another-workspace"],
    ["apps/web/src/bad.ts", `import "@assay/platform";`, "web-imports-only-protocol"],
    ["apps/api/src/bad-deep.ts", `import "@assay/audit/src/index";`, "no-deep-import-into-a-package"],
    ["apps/api/src/bad-prisma.ts", `import "@prisma/client";`, "prisma-only-in-repositories"],
    ["packages/platform/src/services/bad-prisma.ts", `import "../generated/prisma";`, "prisma-only-in-repositories"],
  ];
  const ALLOWED: [file: string, source: string][] = [
    ["packages/platform/src/repositories/ok.ts", `import "../generated/prisma";\nimport "@prisma/client";\nimport "@assay/protocol";`],
    ["packages/platform/src/services/ok.ts", `import "@assay/audit";\nimport "@assay/chain";\nimport "../repositories/ok";`],
    ["apps/web/src/ok.ts", `import "@assay/protocol";`],
    ["apps/api/src/ok.ts", `import "@assay/platform";\nimport "@nestjs/common";\nimport "./index";`],
    ["packages/audit/src/ok.ts", `import "@assay/protocol";`],
  ];

  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "assay-depcruise-"));
    copyFileSync(join(REPO_ROOT, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
    const workspaces = [
      ...["protocol", "audit", "assembly", "chain", "platform"].map((n) => ["packages", n] as const),
      ...["api", "worker", "web"].map((n) => ["apps", n] as const),
    ];
    mkdirSync(join(root, "node_modules", "@assay"), { recursive: true });
    for (const [group, name] of workspaces) {
      write(`${group}/${name}/package.json`, JSON.stringify({ name: `@assay/${name}`, main: "src/index.ts", exports: { ".": "./src/index.ts", "./package.json": "./package.json" } }));
      write(`${group}/${name}/src/index.ts`, "export const x = 1;\n");
      symlinkSync(join(root, group, name), join(root, "node_modules", "@assay", name), "dir");
    }
    for (const pkg of ["@nestjs/common", "@prisma/client"]) {
      write(`node_modules/${pkg}/package.json`, JSON.stringify({ name: pkg, main: "index.js" }));
      write(`node_modules/${pkg}/index.js`, "module.exports = {};\n");
    }
    write("packages/platform/src/generated/prisma/index.ts", "export const client = 1;\n");
    for (const [file, source] of PLANTED) write(file, `${source}\n`);
    for (const [file, source] of ALLOWED) write(file, `${source}\n`);
    const targets = ["apps/api/src", "apps/worker/src", "apps/web/src", "packages/protocol/src", "packages/audit/src", "packages/assembly/src", "packages/chain/src", "packages/platform/src"];
    const run = cruise(root, targets);
    // The exit status of the command line a person or a CI step runs (`npm run lint:layers`: the "err" reporter).
    status = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--output-type", "err", ...targets], { cwd: root, encoding: "utf8" }).status;
    violations = run.result.summary.violations.length;
    byFile = new Map();
    for (const v of run.result.summary.violations) byFile.set(v.from, [...(byFile.get(v.from) ?? []), v.rule.name]);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test("depcruise exits non-zero on a violation (its status is the number of errors)", () => {
    expect(status).toBe(violations);
    expect(violations).toBeGreaterThanOrEqual(PLANTED.length);
  });

  test.each(PLANTED)("%s with %s breaks %s", (file, _source, rule) => {
    expect(byFile.get(file) ?? []).toContain(rule);
  });

  test("the allowed imports pass", () => {
    expect(ALLOWED.map(([file]) => [file, byFile.get(file) ?? []])).toEqual(ALLOWED.map(([file]) => [file, []]));
  });
});
