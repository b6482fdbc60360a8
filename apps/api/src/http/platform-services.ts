// What a controller or guard may receive from the platform: only the services it
// names. `@UsesServices("apiKeys", "usage")` injects an object holding exactly
// those services (a provider per distinct set, registered by the PlatformModule),
// so a controller cannot reach the raw Prisma client, the repositories, the
// secret box or any service it did not declare (issue 10: narrow the platform).
// Explicit tokens, not emitted decorator metadata (docs/decisions/0006).
import { Inject, type Provider } from "@nestjs/common";
import type { Platform } from "@assay/platform";

/** Never handed to a controller or guard: the database, the repositories, key material, lifecycle. */
const WITHHELD = ["db", "store", "secrets", "publisher", "close", "migrations"] as const;
type Withheld = (typeof WITHHELD)[number];

export type PlatformServices = Omit<Platform, Withheld>;
export type ServiceName = keyof PlatformServices;
/** The narrowed view a controller receives: `Services<"apiKeys" | "usage">`. */
export type Services<K extends ServiceName> = Readonly<Pick<PlatformServices, K>>;

/** The health check's dependencies (database reachable, queue reachable) without the objects themselves. */
export type HealthProbe = { databaseReachable(): Promise<boolean>; queueReachable(): Promise<boolean> };
export const HEALTH_PROBE = Symbol("assay.health-probe");

const declared = new Map<string, { token: symbol; names: readonly ServiceName[] }>();

function keyOf(names: readonly ServiceName[]): string {
  return [...new Set(names)].sort().join(",");
}

/** Parameter decorator: inject exactly these services (one shared provider per distinct set). */
export function UsesServices(...names: ServiceName[]): ParameterDecorator {
  if (names.length === 0) throw new Error("UsesServices needs at least one service name");
  const withheld = names.filter((n) => (WITHHELD as readonly string[]).includes(n));
  if (withheld.length > 0) throw new Error(`not a service a controller may receive: ${withheld.join(", ")}`);
  const key = keyOf(names);
  let entry = declared.get(key);
  if (!entry) {
    entry = { token: Symbol(`assay.services(${key})`), names: key.split(",") as ServiceName[] };
    declared.set(key, entry);
  }
  return Inject(entry.token);
}

/** The service sets declared so far (by the controllers and guards already imported). */
export function declaredServiceSets(): ReadonlyArray<{ token: symbol; names: readonly ServiceName[] }> {
  return [...declared.values()];
}

/** One provider per declared set: a frozen object with only the named services. */
export function serviceProviders(platform: Platform): Provider[] {
  const sets: Provider[] = declaredServiceSets().map(({ token, names }) => ({
    provide: token,
    useValue: Object.freeze(Object.fromEntries(names.map((n) => [n, platform[n]]))),
  }));
  const probe: HealthProbe = Object.freeze({ databaseReachable: () => platform.store.reachable(), queueReachable: () => platform.publisher.ping() });
  return [...sets, { provide: HEALTH_PROBE, useValue: probe }];
}
