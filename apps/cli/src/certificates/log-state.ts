// The transparency-log checkpoint this machine last accepted from an issuer,
// kept per API host in the CLI's state directory (XDG_STATE_HOME, else
// ~/.local/state/assay), not the cache: deleting it loses the ability to
// notice that the log was truncated or forked since (docs/decisions/0016).
// Replaced only by a checkpoint proven to extend it.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { LogHashHexSchema, type SavedCheckpoint } from "@assay/protocol";

const SavedCheckpointFileSchema = z.object({
  apiUrl: z.string(),
  origin: z.string().min(1),
  treeSize: z.number().int().nonnegative(),
  rootHash: LogHashHexSchema,
  checkpoint: z.string().min(1),
  savedAt: z.string(),
});

export function stateDirectory(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state"), "assay");
}

/** <state>/log-checkpoint-<host>.json, the host with its port (127.0.0.1_3000). */
export function checkpointStatePath(stateDir: string, apiUrl: string): string {
  const host = new URL(apiUrl).host.replace(/[^A-Za-z0-9.-]/g, "_");
  return join(stateDir, `log-checkpoint-${host}.json`);
}

export async function readSavedCheckpoint(path: string, apiUrl: string): Promise<SavedCheckpoint | null> {
  try {
    const parsed = SavedCheckpointFileSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    if (!parsed.success || parsed.data.apiUrl !== apiUrl) return null;
    const { origin, treeSize, rootHash, checkpoint } = parsed.data;
    return { origin, treeSize, rootHash, checkpoint };
  } catch {
    return null; // none yet (or unreadable): the next verify starts trust on first use again
  }
}

export async function writeSavedCheckpoint(path: string, apiUrl: string, saved: SavedCheckpoint, now: Date): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ apiUrl, ...saved, savedAt: now.toISOString() }, null, 2)}\n`);
  await rename(temporary, path);
}
