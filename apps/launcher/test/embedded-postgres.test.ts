// The embedded database's socket server under concurrent clients: two pools (as
// the API and the worker have) run parameterised queries (extended protocol),
// failing statements and transactions at once; every answer is the right one
// and nothing leaks between connections. (The server runs as its own process, as
// in the launcher: PGlite's dynamic imports do not run inside jest's VM.)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { exitOf, LAUNCHER_DIR, waitFor } from "./helpers";

jest.setTimeout(120_000);

let dir: string;
let server: ChildProcess;
let pools: pg.Pool[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "assay-pglite-"));
  server = spawn(process.execPath, ["--import", "tsx", join(LAUNCHER_DIR, "src", "embedded-postgres-main.ts"), join(dir, "pglite")], {
    cwd: LAUNCHER_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = await waitFor(() => /DATABASE_URL=(\S+)/.exec(output)?.[1] ?? (server.exitCode !== null && Promise.reject(new Error(output))), "the embedded database", 60_000);
  pools = [0, 1].map(() => new pg.Pool({ connectionString: url, max: 5 }));
  await pools[0]!.query("CREATE TABLE IF NOT EXISTS counters (id int PRIMARY KEY, n int NOT NULL)");
});

afterAll(async () => {
  await Promise.all((pools ?? []).map((p) => p.end()));
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await exitOf(server);
  }
  rmSync(dir, { recursive: true, force: true });
});

it("keeps each connection's queries, errors and transactions apart under concurrency", async () => {
  const rounds = 40;
  const client = async (pool: pg.Pool, id: number) => {
    for (let i = 0; i < rounds; i += 1) {
      const { rows } = await pool.query("SELECT $1::int AS id, $2::text AS tag", [id, `c${id}-${i}`]);
      expect(rows).toEqual([{ id, tag: `c${id}-${i}` }]);
      if (i % 5 === 0) await expect(pool.query("SELECT * FROM no_such_table WHERE x = $1", [i])).rejects.toThrow(/no_such_table/);
      if (i % 7 === 0) {
        const c = await pool.connect();
        try {
          await c.query("BEGIN");
          await c.query("INSERT INTO counters (id, n) VALUES ($1, 1) ON CONFLICT (id) DO UPDATE SET n = counters.n + 1", [id]);
          await c.query("COMMIT");
        } finally {
          c.release();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, id) => client(pools[id % 2]!, id)));
  const { rows } = await pools[1]!.query("SELECT id, n FROM counters ORDER BY id");
  expect(rows).toEqual(Array.from({ length: 8 }, (_, id) => ({ id, n: Math.ceil(rounds / 7) })));
});
