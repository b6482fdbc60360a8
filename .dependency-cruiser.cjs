// The layer rules of docs/architecture.md ("Packages and their rules") for
// dependency-cruiser. CI runs it through packages/protocol/test/depcruise.test.ts
// (`npm test`), which fails on any violation; by hand:
//   npx depcruise --config .dependency-cruiser.cjs apps/*/src packages/*/src
// Paths are resolved ones (workspace symlinks followed), relative to the repo root.

/** Frameworks, queues and databases: none of them in the pure packages. */
const FRAMEWORKS = "node_modules/(@nestjs|bullmq|ioredis|@prisma|\\.prisma|pg|express|react|react-dom)/";
/** Prisma: the client package, the generated client, the db module. */
const PRISMA = ["node_modules/(@prisma|\\.prisma)/", "^packages/platform/src/(generated/prisma|db)/"];
/** Where Prisma may be imported: repositories (and *-repository files), db/, the composition root, the testing harness. */
const PRISMA_ALLOWED = [
  "^packages/platform/src/repositories/",
  "^packages/platform/src/db/",
  "^packages/platform/src/generated/",
  "^packages/platform/src/platform\\.ts$",
  "^packages/platform/src/index\\.ts$",
  "^packages/platform/src/testing/",
  "^packages/platform/src/[a-z-]+/[a-z-]*repositor(y|ies)\\.ts$",
];
const ours = (names) => `^packages/(${names.join("|")})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "packages-never-import-apps",
      comment: "A package is a library of the apps; it never imports one.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "apps-never-import-each-other",
      comment: "The API, the workers, the web app, the CLI, … never import each other (shared code lives in packages).",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "protocol-imports-nothing-of-ours",
      comment: "packages/protocol (schemas, canonical JSON, digests, certificates) imports no other workspace.",
      severity: "error",
      from: { path: "^packages/protocol/" },
      to: { path: "^(packages|apps|contracts)/", pathNot: "^packages/protocol/" },
    },
    {
      name: "audit-assembly-chain-import-only-protocol",
      comment: "packages/audit, packages/assembly and packages/chain import only @assay/protocol of ours.",
      severity: "error",
      from: { path: "^packages/(audit|assembly|chain)/" },
      to: { path: "^(packages|apps)/", pathNot: ["^packages/$1/", ours(["protocol"])] },
    },
    {
      name: "pure-packages-have-no-framework",
      comment: "protocol, audit and assembly are pure: no framework, queue or database.",
      severity: "error",
      from: { path: "^packages/(protocol|audit|assembly)/" },
      to: { path: FRAMEWORKS },
    },
    {
      name: "platform-imports-only-lower-packages",
      comment: "packages/platform builds on protocol, audit, assembly and chain only.",
      severity: "error",
      from: { path: "^packages/platform/" },
      to: { path: "^(packages|apps)/", pathNot: ["^packages/platform/", ours(["protocol", "audit", "assembly", "chain"])] },
    },
    {
      name: "web-imports-only-protocol",
      comment: "The web app shares only the API contract (@assay/protocol) with the server side.",
      severity: "error",
      from: { path: "^apps/web/" },
      to: { path: "^packages/", pathNot: ours(["protocol"]) },
    },
    {
      name: "no-relative-import-into-another-workspace",
      comment: "Another workspace is reached by its package name (its `exports`), never by a relative path.",
      severity: "error",
      from: { path: "^(apps|packages)/([^/]+)/" },
      to: { path: "^(apps|packages|contracts)/", pathNot: "^$1/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "no-deep-import-into-a-package",
      comment:
        "`@assay/<pkg>/src/...` bypasses the package's `exports`: such an import cannot be resolved (exports allow only the root), so any unresolvable @assay import is one.",
      severity: "error",
      from: {},
      to: { path: "^@assay/", couldNotResolve: true },
    },
    {
      name: "prisma-only-in-repositories",
      comment: "Prisma (the client, the generated client, db/) only inside packages/platform's repositories, db/ and the composition root.",
      severity: "error",
      from: { pathNot: PRISMA_ALLOWED },
      to: { path: PRISMA },
    },
  ],
  options: {
    // The generated Prisma client stays in the graph (the Prisma rule looks at who imports it) but is not analysed.
    doNotFollow: { path: ["node_modules", "^packages/platform/src/generated/"] },
    // node_modules stay in the graph (not followed): the framework and Prisma rules look at them.
    exclude: { path: ["\\.d\\.ts$"] },
    tsPreCompilationDeps: true,
    // Workspace packages resolve through their symlinks to apps/… and packages/…, so rules see real paths.
    preserveSymlinks: false,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
    tsConfig: { fileName: "tsconfig.base.json" },
    skipAnalysisNotInRules: true,
  },
};
