// What the bench needs from the platform (kept apart so the bench reads as the measurement).
import { randomBytes } from "node:crypto";
import type { Platform } from "@assay/platform";
export { createPlatform, createTestEnvironment } from "@assay/platform";

export async function createDeveloperForBench(platform: Platform): Promise<string> {
  const developer = await platform.developers.create({ email: `bench-${randomBytes(4).toString("hex")}@example.test`, name: "Bench" });
  return developer.id;
}
