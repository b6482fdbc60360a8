// The runtime manifest, `sigma-runtime.json` (SPEC §3).
import { z } from "zod";
import { artifactPathProblem } from "./artifact-path";

export const MANIFEST_FILE = "sigma-runtime.json";
export const RUNTIME_PROTOCOL = "sigma-runtime/1";

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const SripClaim = z.enum(["SRIP-03", "SRIP-05", "SRIP-13"]);
export type SripClaim = z.infer<typeof SripClaim>;

const relativeEntryPath = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), {
    message: "entry must be a relative path inside the runtime directory",
  })
  // The entry's bundle is stored at this path (after an optional "./"): it must be canonical.
  .superRefine((p, ctx) => {
    const problem = artifactPathProblem(p.replace(/^\.\//, ""));
    if (problem && !p.startsWith("/") && !p.split(/[\\/]/).includes("..")) ctx.addIssue({ code: "custom", message: `entry must be a canonical path: ${problem}` });
  })
  .refine((p) => /\.(m?js|ts|mts|py)$/.test(p), { message: "entry must be a .js, .mjs, .ts or .py file" });

/** The language a runtime is written in; it picks the sandbox engine (QuickJS or Pyodide). */
export const RuntimeLanguage = z.enum(["javascript", "python"]);
export type RuntimeLanguage = z.infer<typeof RuntimeLanguage>;

/** A manifest's language; absent means "javascript" (manifests written before Python runtimes). */
export function manifestLanguage(manifest: { language?: RuntimeLanguage | undefined }): RuntimeLanguage {
  return manifest.language ?? "javascript";
}

export const ManifestSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "name must be 1-64 chars of a-z, 0-9, '.', '_' or '-'"),
    version: z.string().regex(SEMVER, "version must be semver (e.g. 1.0.0)"),
    protocol: z.literal(RUNTIME_PROTOCOL),
    entry: relativeEntryPath,
    // Optional rather than defaulted: a default would make it required in the
    // parsed type, and every manifest literal written before it would stop compiling.
    language: RuntimeLanguage.optional(),
    description: z.string().max(500).optional(),
    identity: z
      .object({
        name: z.string().min(1).max(64),
        role: z.string().min(1).max(200),
        constraints: z.array(z.string().min(1).max(200)).min(1).max(32),
      })
      .strict(),
    claims: z
      .array(SripClaim)
      .min(1)
      .refine((c) => new Set(c).size === c.length, { message: "claims must not repeat" }),
    suite: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  })
  .strict()
  // The entry's extension must match the language: a .py entry is never bundled as JavaScript.
  .superRefine((m, ctx) => {
    const python = m.entry.endsWith(".py");
    if (python && manifestLanguage(m) !== "python") ctx.addIssue({ code: "custom", path: ["language"], message: 'a .py entry needs "language": "python"' });
    if (!python && manifestLanguage(m) === "python") ctx.addIssue({ code: "custom", path: ["entry"], message: 'a python runtime\'s entry must be a .py file' });
  });

export type Manifest = z.infer<typeof ManifestSchema>;
