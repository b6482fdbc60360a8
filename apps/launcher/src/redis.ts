// Redis: use the one at REDIS_URL; if nothing answers there, the host is this
// machine and `redis-server` is installed, start one as a child process without
// persistence (BullMQ only carries work; PostgreSQL keeps every fact, and the
// workers' reconciler rebuilds lost jobs — docs/decisions/0007).
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { LauncherError } from "./errors";
import type { ServiceSpec } from "./services";

export async function redisAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function findExecutable(name: string): string | null {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() || null : null;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export type RedisPlan = { kind: "external" } | { kind: "managed"; service: ServiceSpec };

/** Decides how the platform gets its Redis; throws LauncherError when it cannot. */
export async function planRedis(url: string, manage: boolean): Promise<RedisPlan> {
  if (await redisAnswers(url)) return { kind: "external" };
  const parsed = new URL(url);
  const port = parsed.port || "6379";
  const executable = manage && LOCAL_HOSTS.has(parsed.hostname) ? findExecutable("redis-server") : null;
  if (!executable) {
    throw new LauncherError(
      `no Redis answers at ${parsed.host}`,
      [
        "Start Redis 7 there, for example:",
        "  sudo apt-get install -y redis-server   (the launcher then starts it for you)",
        "  or: docker compose up -d redis",
        "or point REDIS_URL at a Redis you have.",
      ].join("\n"),
    );
  }
  return {
    kind: "managed",
    service: {
      name: "redis",
      command: { kind: "exec", file: executable, args: ["--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] },
      ready: { kind: "probe", probe: () => redisAnswers(url, 500), timeoutMs: 10_000 },
    },
  };
}
