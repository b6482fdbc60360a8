// The package's public face: apps get services, repositories (through Store) and the
// database lifecycle, never the Prisma client or its namespace (issue 10's layer rule:
// nothing outside repositories touches Prisma).
import * as platform from "../src";

test("@assay/platform exports no Prisma client, namespace or adapter", () => {
  const exported = Object.keys(platform);
  for (const name of ["PrismaClient", "Prisma", "createPrismaClient", "CatalogSafeClient", "AssayPgAdapterFactory", "poolConfig"]) {
    expect(exported).not.toContain(name);
  }
  // ...while the database lifecycle the launcher and test harnesses need is there.
  for (const name of ["ensureDatabase", "dropDatabase", "deployMigrations", "prepareDatabase", "createPlatform", "Store"]) {
    expect(exported).toContain(name);
  }
});
