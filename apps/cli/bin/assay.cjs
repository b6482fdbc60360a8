#!/usr/bin/env node
// The `assay` executable. The CLI ships as TypeScript (the monorepo has no build
// step), so the shim registers tsx and hands over to src/main.ts. Both tsx hooks
// are registered: CommonJS for the static graph, ESM so that lazy `import()` of
// command modules (and of workspace packages that use it) resolves .ts files.
// Command modules are imported lazily, so `assay --help` stays fast (~0.1 s).
"use strict";
require("tsx/cjs/api").register();
require("tsx/esm/api").register();
require("../src/main.ts");
