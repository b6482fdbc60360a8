// The Prisma driver adapter (@prisma/adapter-pg) with the workarounds the
// offline Prisma 6.19 path needs (docs/decisions/0005-prisma-offline.md):
//  1. adapter-pg cannot deserialize the catalog types `name` (OID 19,
//     prisma/orm#27403) and `"char"` (OID 18) that the schema engine's
//     introspection selects: result fields of those types are reported as text.
//  2. Its connectToShadowDb() drops the shadow database while its own pool is
//     still connected ("is being accessed by other users"), and builds the shadow
//     pool from a connection string that wins over the shadow database name: we
//     connect with discrete host/port/user/password/database, close the pool
//     first, then drop the database.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { DatabaseConfig } from "../config/config";

const OID_CHAR = 18;
const OID_NAME = 19;
const OID_TEXT = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/** pg.Client whose results describe `name` and `"char"` columns as text. */
export class CatalogSafeClient extends pg.Client {
  override query(...args: unknown[]): never {
    // pg.Pool.query calls client.query(config, values, callback); the adapter's
    // transactions call client.query(config, values) and await the promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (err: unknown, res: QueryResultLike | QueryResultLike[]) => {
        if (!err) relabelAll(res);
        return (callback as (e: unknown, r: unknown) => unknown)(err, res);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      return (result as Promise<QueryResultLike | QueryResultLike[]>).then((r) => {
        relabelAll(r);
        return r;
      }) as never;
    }
    return result as never;
  }
}

function relabelAll(result: QueryResultLike | QueryResultLike[] | undefined): void {
  for (const one of Array.isArray(result) ? result : [result]) relabelCatalogFields(one);
}

export function relabelCatalogFields(result: QueryResultLike | undefined): void {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === OID_NAME || field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  }
}

export function poolConfig(db: DatabaseConfig, database = db.database): pg.PoolConfig {
  return {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database,
    Client: CatalogSafeClient,
    max: 10,
    // Why: lets short-lived processes (the Prisma CLI, scripts) exit without
    // waiting for idle connections to time out.
    allowExitOnIdle: true,
  };
}

/** Adapter factory for the Prisma client and the Prisma CLI (prisma.config.ts). */
export class AssayPgAdapterFactory extends PrismaPg {
  constructor(private readonly db: DatabaseConfig) {
    super(poolConfig(db));
  }

  override async connectToShadowDb(): ReturnType<PrismaPg["connectToShadowDb"]> {
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replace(/-/g, "")}`;
    const admin = new pg.Client({ ...poolConfig(this.db), database: this.db.database });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    const shadow = await new PrismaPg(new pg.Pool(poolConfig(this.db, database)), { disposeExternalPool: true }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      const cleanup = new pg.Client({ ...poolConfig(this.db), database: this.db.database });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    };
    return shadow;
  }
}
