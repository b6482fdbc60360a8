// The engine identity stated in every report (SPEC §4: "the report states the
// suite version, seed, engine version and sandbox limits"). Bump ENGINE_VERSION
// whenever a change could alter a transcript for the same bundle + suite + seed
// (bootstrap, host bridge, clock steps, budget accounting, QuickJS build).
import { SANDBOX_ENGINE } from "../sandbox/quickjs";

export const ENGINE_VERSION = "1.1.0";

export const ENGINE = Object.freeze({
  name: "assay-audit",
  version: `${ENGINE_VERSION}+${SANDBOX_ENGINE.name}-${SANDBOX_ENGINE.version}`,
});
