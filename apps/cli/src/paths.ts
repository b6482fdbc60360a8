// Filesystem locations the CLI needs, resolved from this package's own location
// (not the working directory) so `npx assay` works from anywhere in the repo.
import { resolve } from "node:path";

export const CLI_PACKAGE_DIR = resolve(__dirname, "..");

/** The careful reference runtime that `assay init` scaffolds from. */
export const REFERENCE_RUNTIME_DIR = resolve(CLI_PACKAGE_DIR, "../../examples/runtimes/reference");

/** The Python reference runtime, the template of `assay init --language python`. */
export const REFERENCE_PY_RUNTIME_DIR = resolve(CLI_PACKAGE_DIR, "../../examples/runtimes/reference-py");
