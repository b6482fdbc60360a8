// Bundle a runtime's entry into the single ES2022 module that is audited and
// certified (SPEC §3). The bundle is self-contained (no externals) and built for
// a neutral platform: the host object is a runtime's only way out, so importing a
// Node built-in is refused here, before any audit. Output is a pure function of
// the sources: esbuild is deterministic, every path it writes into the bundle is
// relative to the runtime directory and no tsconfig.json is consulted, so moving
// the directory or touching file times changes nothing. (A different esbuild
// version may print differently: the bundle, not the sources, is what is certified.)
import { realpath } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { relative, sep } from "node:path";
import { build, type BuildFailure, type Message, type Metafile, type Plugin } from "esbuild";
import { RuntimeDirectoryError } from "../errors";

/** Cap on the bundled entry. Runtimes are control loops, not applications; 1 MiB is generous. */
export const BUNDLE_MAX_BYTES = 1024 * 1024;

export const REQUIRED_EXPORT = "createRuntime";

export type EntryBundle = {
  /** The bundled ES module's source text. */
  code: string;
  /** Source files that went into the bundle, relative to the runtime directory (sorted). */
  inputs: string[];
};

const FORBIDDEN_IMPORTS_PLUGIN = "assay-forbidden-imports";
const CONFINE_PLUGIN = "assay-confine-to-directory";
const OUTFILE = "bundle.js";

export async function bundleEntry(dir: string, entryPath: string, maxBytes = BUNDLE_MAX_BYTES): Promise<EntryBundle> {
  const entryLabel = relative(dir, entryPath) || entryPath;
  let metafile: Metafile;
  let code: string;
  try {
    const result = await build({
      absWorkingDir: dir,
      entryPoints: [entryPath],
      outfile: OUTFILE,
      write: false,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      // neutral has no default main fields; packages without "exports" still resolve.
      mainFields: ["module", "main"],
      // No tsconfig.json is read, here or in any parent directory: a parent
      // project's compiler options (e.g. useDefineForClassFields) would change
      // the bytes of the same sources depending on where they sit.
      tsconfigRaw: {},
      metafile: true,
      logLevel: "silent",
      sourcemap: false,
      plugins: [forbidNodeBuiltins(), confineToDirectory(dir)],
    });
    metafile = result.metafile!;
    const output = result.outputFiles.find((file) => file.path.endsWith(OUTFILE));
    if (!output) throw new Error("esbuild produced no output file");
    code = output.text;
  } catch (error) {
    if (isBuildFailure(error)) throw bundleFailure(entryLabel, error);
    throw error;
  }

  checkIsModuleExportingCreateRuntime(entryLabel, metafile);

  const size = Buffer.byteLength(code, "utf8");
  if (size > maxBytes) {
    throw new RuntimeDirectoryError(
      "BUNDLE_TOO_LARGE",
      `the bundle of ${entryLabel} is ${size} bytes; the limit is ${maxBytes} bytes (${formatMiB(maxBytes)})`,
    );
  }
  return { code, inputs: Object.keys(metafile.inputs).sort() };
}

function forbidNodeBuiltins(): Plugin {
  return {
    name: FORBIDDEN_IMPORTS_PLUGIN,
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point" || !isBuiltin(args.path)) return undefined;
        return {
          errors: [
            {
              text: `imports the Node.js built-in module "${args.path}"; a runtime runs in a sandbox and reaches the outside only through its host object`,
            },
          ],
        };
      });
    },
  };
}

/**
 * Every file esbuild loads must resolve (symlinks followed) inside the runtime
 * directory: the artifact is that directory, so a symlink to, an absolute
 * import of, or a ../ import of a file elsewhere (a parent's node_modules
 * included) would upload bytes the author may not know are there. `dir` is the
 * directory's real path.
 */
function confineToDirectory(dir: string): Plugin {
  return {
    name: CONFINE_PLUGIN,
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /.*/, namespace: "file" }, async (args) => {
        const real = await realpath(args.path).catch(() => args.path);
        if (real === dir || real.startsWith(dir + sep)) return undefined;
        const shown = real === args.path ? real : `${args.path} (a symlink to ${real})`;
        return { errors: [{ text: `${shown} is outside the runtime directory ${dir}; a runtime may bundle only files inside its directory` }] };
      });
    },
  };
}

function checkIsModuleExportingCreateRuntime(entryLabel: string, metafile: Metafile): void {
  const entryInput = Object.entries(metafile.inputs).find(([path]) => samePath(path, entryLabel));
  if (entryInput?.[1].format === "cjs") {
    throw new RuntimeDirectoryError(
      "ENTRY_NOT_MODULE",
      `${entryLabel} is a CommonJS module (require/module.exports); the entry must be an ES module that exports ${REQUIRED_EXPORT}`,
    );
  }
  const output = metafile.outputs[OUTFILE];
  const exports = output?.exports ?? [];
  if (exports.includes(REQUIRED_EXPORT)) return;
  if (entryInput?.[1].format !== "esm") {
    throw new RuntimeDirectoryError(
      "ENTRY_NOT_MODULE",
      `${entryLabel} is not an ES module (it has no import or export statements); the entry must export ${REQUIRED_EXPORT}`,
    );
  }
  const found = exports.length === 0 ? "it exports nothing" : `it exports: ${exports.join(", ")}`;
  throw new RuntimeDirectoryError(
    "ENTRY_NO_CREATE_RUNTIME",
    `${entryLabel} does not export ${REQUIRED_EXPORT} (${found}); the entry must export createRuntime(host) returning { step(turn) }`,
  );
}

function bundleFailure(entryLabel: string, failure: BuildFailure): RuntimeDirectoryError {
  const outside = failure.errors.filter((m) => m.pluginName === CONFINE_PLUGIN);
  if (outside.length > 0) {
    return new RuntimeDirectoryError(
      "IMPORT_OUTSIDE_DIRECTORY",
      `${entryLabel} cannot be bundled: it imports files from outside the runtime directory`,
      outside.map(formatMessage),
    );
  }
  const forbidden = failure.errors.filter((m) => m.pluginName === FORBIDDEN_IMPORTS_PLUGIN);
  if (forbidden.length > 0) {
    return new RuntimeDirectoryError(
      "ENTRY_FORBIDDEN_IMPORT",
      `${entryLabel} cannot be bundled: it uses Node.js built-in modules`,
      forbidden.map(formatMessage),
    );
  }
  return new RuntimeDirectoryError(
    "ENTRY_BUNDLE_FAILED",
    `${entryLabel} cannot be bundled as an ES2022 module (${failure.errors.length} error${failure.errors.length === 1 ? "" : "s"}):`,
    failure.errors.map(formatMessage),
  );
}

function formatMessage(message: Message): string {
  const at = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${at}${message.text}`;
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function samePath(metafilePath: string, label: string): boolean {
  return metafilePath.replace(/\\/g, "/") === label.replace(/\\/g, "/");
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 2)} MiB`;
}
