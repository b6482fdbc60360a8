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
  .refine((p) => /\.(m?js|ts|mts)$/.test(p), { message: "entry must be a .js, .mjs or .ts file" });

export const ManifestSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "name must be 1-64 chars of a-z, 0-9, '.', '_' or '-'"),
    version: z.string().regex(SEMVER, "version must be semver (e.g. 1.0.0)"),
    protocol: z.literal(RUNTIME_PROTOCOL),
    entry: relativeEntryPath,
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
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;
