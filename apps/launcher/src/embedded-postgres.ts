// Embedded PostgreSQL for development (docs/decisions/0011): when no PostgreSQL
// answers and DATABASE_URL was not set, the launcher runs PGlite (PostgreSQL
// compiled to WebAssembly) in its own process, with its data in
// `<state dir>/pglite`, and serves it over the PostgreSQL wire protocol on a free
// local port with pglite-socket, so the API, the workers and the validators
// connect to it exactly as to a server. pglite-socket multiplexes every client
// connection onto PGlite's single session, keeping a transaction's queries to
// the connection that opened it (and, with pglite-queue.ts, each extended-protocol
// sequence to the connection that sent it).
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { keepExtendedQueriesTogether } from "./pglite-queue";

/** Client connections the socket server accepts (every process's pool together). */
const MAX_CONNECTIONS = 100;

export type EmbeddedPostgres = { url: string; port: number; dataDir: string; stop(): Promise<void> };

export async function startEmbeddedPostgres(dataDir: string, host = "127.0.0.1"): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the registry's name search index (migration registry_search); it ships inside the pglite package.
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: MAX_CONNECTIONS });
  keepExtendedQueriesTogether(server);
  let port = 0;
  server.addEventListener("listening", (event) => {
    port = (event as CustomEvent<{ port: number }>).detail.port;
  });
  try {
    await server.start();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    // PGlite has one database, `postgres`; it accepts any user and password.
    url: `postgresql://postgres@${host}:${port}/postgres`,
    port,
    dataDir,
    stop() {
      stopped ??= server
        .stop()
        .then(() => db.close())
        .catch(() => undefined);
      return stopped;
    },
  };
}
