import type { HealthProbe } from "../../http/platform-services";

export type Health = { status: "ok" | "degraded"; checks: { database: "ok" | "down"; queue: "ok" | "down" }; time: string };

/** Database down is "degraded" (the API can say so); the queue down only delays jobs (outbox). */
export async function healthOf(probe: HealthProbe): Promise<Health> {
  const [database, queue] = await Promise.all([
    probe.databaseReachable().then((ok) => (ok ? ("ok" as const) : ("down" as const))),
    probe.queueReachable().then((ok) => (ok ? ("ok" as const) : ("down" as const))),
  ]);
  return { status: database === "ok" ? "ok" : "degraded", checks: { database, queue }, time: new Date().toISOString() };
}
