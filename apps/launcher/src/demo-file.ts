// `.assay/demo.json` (SPEC §11): the URLs and demo credentials of a development
// install. The developer API key is shown only once by the platform, so this
// file is its only copy: written atomically, readable by the owner only.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";

export const DemoFileSchema = z.object({
  apiUrl: z.string().url(),
  webUrl: z.string().url(),
  developer: z.object({ apiKey: z.string().min(1) }),
  operator: z.object({ email: z.string().email(), password: z.string().min(12), totpSecret: z.string().min(16) }),
  chain: z
    .object({
      rpcUrl: z.string().url(),
      registry: z.string(),
      chainId: z.number().int().optional(),
      validatorRegistry: z.string().optional(),
      treasury: z.string().optional(),
      deployedAtBlock: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type DemoFile = z.infer<typeof DemoFileSchema>;

/** The stored file, or null when it is missing or unreadable (a fresh one is then written). */
export function readDemoFile(path: string): DemoFile | null {
  try {
    const parsed = DemoFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeDemoFile(path: string, demo: DemoFile): void {
  const checked = DemoFileSchema.parse(demo);
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.demo.json.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
