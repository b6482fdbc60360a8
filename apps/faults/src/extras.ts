// Faults outside the component × step grid. Disk full: the artifact store is a
// small tmpfs (mounted by the harness; needs root, as on this machine's
// containers) that is filled up; an intake must answer 503 artifact_store_full
// with Retry-After, write no row and leave no file, and once space is freed the
// same submission goes through.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { contractViolationOf, submit, submitUntilAccepted } from "./client";
import { readFacts } from "./invariants";
import { waitFor } from "./ports";
import type { Stack } from "./stack";
import type { ExtraResult } from "./table";

/** Mounts a tmpfs of `size` at dir; false when this process may not mount (not root, no CAP_SYS_ADMIN). */
export function mountSmallTmpfs(dir: string, size = "4m"): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0777`, "tmpfs", dir]).status === 0;
}

export function unmount(dir: string): void {
  spawnSync("umount", ["-l", dir]);
}

function fill(dir: string): string {
  const file = join(dir, "filler");
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  return file;
}

export async function diskFullCell(stack: Stack, artifactDir: string, mounted: boolean, boundMs: number): Promise<ExtraResult> {
  const name = "artifact store disk full";
  if (!mounted) return { name, green: true, convergenceMs: null, boundMs, detail: "skipped: a tmpfs could not be mounted here (needs root); covered by packages/platform/test/dependency-errors.test.ts where it can", violations: [] };
  const violations: string[] = [];
  const variant = `diskfull-${Date.now()}`;
  const before = (await readFacts(stack)).submissions.size;
  const filler = fill(artifactDir);
  const refused = await submit(stack, variant);
  if (refused.status !== 503 || refused.code !== "artifact_store_full") violations.push(`intake on a full store answered ${refused.status} ${"code" in refused ? refused.code : refused.error}`);
  const broken = contractViolationOf(refused);
  if (broken) violations.push(broken);
  const after = (await readFacts(stack)).submissions.size;
  if (after !== before) violations.push(`a refused intake wrote ${after - before} submission row(s)`);
  const leftovers = readdirSync(artifactDir).filter((f) => f.startsWith(".tmp-"));
  if (leftovers.length) violations.push(`temp files left: ${leftovers.join(", ")}`);
  rmSync(filler);
  const freedAt = Date.now();
  let convergenceMs: number | null = null;
  try {
    const id = await submitUntilAccepted(stack, 60_000, variant);
    await waitFor(
      async () => {
        const f = await readFacts(stack);
        const c = f.certificates.get(id);
        return f.submissions.get(id)?.status === "certified" && c && (c.anchored || !stack.chainEnabled);
      },
      "the resent submission to be certified",
      boundMs,
      250,
    );
    convergenceMs = Date.now() - freedAt;
  } catch (error) {
    violations.push((error as Error).message);
  }
  violations.push(...(await readFacts(stack)).violations);
  return { name, green: violations.length === 0, convergenceMs, boundMs, detail: `full store: ${refused.status} ${"code" in refused ? refused.code : ""}, Retry-After ${"retryAfter" in refused ? refused.retryAfter : "—"}; freed: certified`, violations };
}
