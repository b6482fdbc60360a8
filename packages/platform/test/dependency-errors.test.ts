// Real drivers against a port nothing listens on: what Prisma (over the pg
// adapter) and ioredis throw is recognised as "that dependency is down"
// (DependencyUnavailableError, HTTP 503 in the API), and a full artifact store
// (a 64 KiB tmpfs, where the machine lets us mount one) refuses the write with
// artifact_store_full and leaves nothing behind (docs/decisions/0023).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { ArtifactStore, DependencyUnavailableError, dependencyUnavailableOf, isStorageFull, loadConfig, unavailableDependencyOf } from "../src";
import { createPrismaClient } from "../src/db";

jest.setTimeout(60_000);

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it("recognises an unreachable PostgreSQL through Prisma and the pg adapter", async () => {
  const port = await closedPort();
  const db = loadConfig({ NODE_ENV: "test", DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nowhere` }).database;
  const prisma = createPrismaClient(db);
  try {
    const error = await prisma.$queryRaw`SELECT 1`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(unavailableDependencyOf(error)).toBe("database");
    const typed = dependencyUnavailableOf(error);
    expect(typed).toBeInstanceOf(DependencyUnavailableError);
    expect(typed?.code).toBe("dependency_unavailable");
  } finally {
    await prisma.$disconnect().catch(() => undefined);
  }
});

it("recognises an unreachable Redis through ioredis", async () => {
  const port = await closedPort();
  const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on("error", () => undefined);
  try {
    await redis.connect().catch(() => undefined);
    const error = await redis.get("x").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(unavailableDependencyOf(error)).toBe("queue");
  } finally {
    redis.disconnect();
  }
});

it("leaves other errors alone", () => {
  expect(unavailableDependencyOf(new Error("boom"))).toBeNull();
  expect(unavailableDependencyOf(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBeNull();
  expect(isStorageFull(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }))).toBe(true);
  expect(isStorageFull(Object.assign(new Error("EACCES"), { code: "EACCES" }))).toBe(false);
});

/** A 64 KiB tmpfs (needs CAP_SYS_ADMIN, as root in this machine's containers); null where it cannot be mounted. */
function tinyTmpfs(): string | null {
  const dir = mkdtempSync(join(tmpdir(), "assay-full-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { encoding: "utf8" });
  if (mounted.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return null;
}

const tmpfs = tinyTmpfs();
(tmpfs ? it : it.skip)("refuses a blob on a full artifact store with artifact_store_full and leaves no file behind", async () => {
  const dir = tmpfs!;
  try {
    const store = new ArtifactStore(dir);
    const small = await store.put(Buffer.from("fits"));
    const error = await store.put(Buffer.alloc(256 * 1024, 7)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).code).toBe("artifact_store_full");
    // Only the blob that fitted; no temp file, no partial blob under a valid name.
    expect(readdirSync(dir)).toEqual([small.sha256]);
    expect((await store.get(small.sha256)).toString()).toBe("fits");
  } finally {
    spawnSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
