// Each controller and guard receives only the services it declares
// (src/http/platform-services.ts): never the Prisma client, the repositories, the
// secret box or the job publisher. Checked on the running application's DI
// container and on the sources (no file reaches for the whole platform).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PATH_METADATA } from "@nestjs/common/constants";
import { startApi, type TestApi } from "./helpers";
import { PLANE_MODULES } from "../src/app.module";
import { UsesServices } from "../src/http/platform-services";

const SRC = join(__dirname, "..", "src");
const WITHHELD = ["db", "store", "secrets", "publisher", "close", "migrations"];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourcesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
});
afterAll(async () => {
  await t.close();
});

describe("controllers receive only the services they declare", () => {
  const controllers = Object.values(PLANE_MODULES).flatMap((module) => (Reflect.getMetadata("controllers", module) ?? []) as Function[]);

  test("every plane module has controllers (the check sees them)", () => {
    expect(controllers.length).toBeGreaterThanOrEqual(20);
    for (const controller of controllers) expect(Reflect.getMetadata(PATH_METADATA, controller)).toBeDefined();
  });

  test.each(controllers.map((c) => [c.name, c] as const))("%s holds no database, repositories or secrets", (_name, controller) => {
    const instance = t.api.app.get(controller as never, { strict: false }) as Record<string, unknown>;
    const held = Object.values(instance).filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);
    expect(held.length).toBeGreaterThan(0);
    for (const services of held) {
      for (const name of WITHHELD) expect(Object.keys(services)).not.toContain(name);
      // Frozen: a controller cannot reach for more at run time.
      expect(Object.isFrozen(services)).toBe(true);
    }
  });

  test("a controller asking for a withheld object fails at definition", () => {
    expect(() => UsesServices("db" as never)).toThrow(/db/);
    expect(() => UsesServices("store" as never, "submissions")).toThrow(/store/);
  });
});

describe("no source outside the composition root takes the whole platform", () => {
  // app.ts builds the platform; app.module.ts and platform-services.ts narrow it;
  // the verify fast path is plain Express middleware installed by app.ts (declared below).
  const ALLOWED = new Set(["app.ts", "app.module.ts", "main.ts", "http/platform-services.ts", "planes/public/verify-fast-path.ts", "auth/credentials.ts", "openapi.ts"]);

  test.each(sourcesUnder(SRC).map((f) => [relative(SRC, f)]))("%s", (file) => {
    const text = readFileSync(join(SRC, file), "utf8");
    const takesPlatform = /\bPlatform\b(?!Services|Flag)/.test(text.replace(/\/\/.*$/gm, ""));
    if (!ALLOWED.has(file)) expect(takesPlatform).toBe(false);
  });
});
