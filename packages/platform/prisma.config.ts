// Prisma CLI configuration (Prisma 6.19, driver-adapter path, works offline).
// The schema and migrations live at the repo root in prisma/. The connection
// comes from the same config loader as the application (DATABASE_URL).
// Why each key: docs/decisions/0005-prisma-offline.md.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { loadConfig } from "./src/config/config";
import { AssayPgAdapterFactory } from "./src/db/adapter";

const root = path.resolve(__dirname, "../..");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma", "schema.prisma"),
  migrations: { path: path.join(root, "prisma", "migrations") },
  async adapter() {
    return new AssayPgAdapterFactory(loadConfig().database);
  },
});
