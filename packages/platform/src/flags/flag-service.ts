// The one way to read and change operator flags (issue 9 item 7). Reads go
// through the registry (registry.ts): a stored override that parses with the
// flag's type wins, anything else falls back to the default. Changes are
// validated against each flag's zod type (and, for the assembly parameters, as
// a whole), written with an audit-log row per changed key in one transaction
// (the database hash-chains the log), then announced to every process so their
// caches drop (flag-cache.ts).
import { AssemblyError, resolveParams, type AssemblyParams } from "@assay/assembly";
import type { FlagChanges, FlagValue, FlagView } from "@assay/protocol";
import { FlagRepository } from "../assemblies/repositories";
import { AuditLogRepository } from "../repositories/audit-log-repository";
import { decodeInstantCursor, encodeInstantCursor, pageOf } from "../services/page-cursor";
import { ValidationError } from "../errors";
import type { Store } from "../repositories";
import { FlagCache, LOCAL_ONLY_BUS, type FlagChangeBus } from "./flag-cache";
import {
  ASSEMBLY_PARAM_PREFIX,
  describeType,
  flagNames,
  flagRegistry,
  isFlagName,
  type DeploymentFlagDefaults,
  type FlagName,
  type FlagRegistry,
  type FlagValues,
} from "./registry";

type Stored = ReadonlyMap<string, unknown>;

export type FlagServiceOptions = {
  /** How long a cached copy may be served without a change notice (0: read the database every time). */
  cacheTtlMs?: number;
  /** Cross-process change notices; built once the service exists (it needs the service's invalidate). */
  bus?: (invalidate: () => void) => FlagChangeBus;
  log?: (level: "info" | "warn" | "error", message: string) => void;
};

export class FlagService {
  readonly registry: FlagRegistry;
  private readonly cache: FlagCache<Stored>;
  private readonly bus: FlagChangeBus;
  private readonly log: NonNullable<FlagServiceOptions["log"]>;

  constructor(
    private readonly store: Store,
    /** Defaults that come from the deployment's configuration. */
    defaults: DeploymentFlagDefaults,
    options: FlagServiceOptions = {},
  ) {
    this.registry = flagRegistry(defaults);
    this.cache = new FlagCache(() => this.readStored(), options.cacheTtlMs ?? 0);
    this.bus = options.bus ? options.bus(() => this.cache.invalidate()) : LOCAL_ONLY_BUS;
    this.log = options.log ?? (() => undefined);
  }

  private async readStored(): Promise<Stored> {
    const rows = await new FlagRepository(this.store.db).all();
    return new Map(rows.map((r) => [r.key, r.value as unknown]));
  }

  /** The value of a stored override, or undefined when none is stored or it no longer parses (then the default applies). */
  private overrideOf(name: FlagName, stored: Stored): unknown {
    if (!stored.has(name)) return undefined;
    const parsed = this.registry[name].schema.safeParse(stored.get(name));
    if (parsed.success) return parsed.data;
    this.log("warn", `stored flag ${name} does not parse with its type; its default applies`);
    return undefined;
  }

  private valueOf<K extends FlagName>(name: K, stored: Stored): FlagValues[K] {
    const override = this.overrideOf(name, stored);
    return (override === undefined ? this.registry[name].default : override) as FlagValues[K];
  }

  /** One flag's current value, typed by the registry. */
  async get<K extends FlagName>(name: K): Promise<FlagValues[K]> {
    return this.valueOf(name, await this.cache.get());
  }

  /** Every flag, with its type, default, current value and description. */
  async list(): Promise<FlagView[]> {
    const stored = await this.cache.get();
    return flagNames(this.registry).map((key) => this.view(key, stored));
  }

  private view(key: FlagName, stored: Stored): FlagView {
    const def = this.registry[key];
    const override = this.overrideOf(key, stored);
    return {
      key,
      type: describeType(def.schema),
      value: (override === undefined ? def.default : override) as FlagValue,
      default: def.default as FlagValue,
      overridden: override !== undefined,
      description: def.description,
    };
  }

  async assemblyRequired(): Promise<boolean> {
    return this.get("assembly.required");
  }

  /** The assembly parameters now: defaults merged with the stored overrides. */
  async assemblyParams(): Promise<AssemblyParams> {
    const stored = await this.cache.get();
    const params = {} as Record<string, unknown>;
    for (const name of flagNames(this.registry)) {
      if (this.registry[name].group === "assembly") params[name.slice(ASSEMBLY_PARAM_PREFIX.length)] = this.valueOf(name, stored);
    }
    return resolveParams(params);
  }

  /** Sets one flag (null restores its default). */
  async set(key: string, value: FlagValue | null, actor: string): Promise<FlagView> {
    await this.update({ [key]: value }, actor);
    return this.view(key as FlagName, await this.cache.get());
  }

  /**
   * Applies changes (null removes an override): every key must be a registered
   * flag and every value must parse with its type; the assembly parameters must
   * also be valid together. Refuses the whole set otherwise (400 flag_unknown /
   * flag_invalid, nothing written). One audit-log row per changed key, in the
   * same transaction; `action` names the row (default `flag.set`).
   */
  async update(changes: FlagChanges, actor: string, options: { action?: string } = {}): Promise<FlagView[]> {
    const unknown = Object.keys(changes).filter((k) => !isFlagName(this.registry, k));
    if (unknown.length) throw new ValidationError("flag_unknown", `unknown flag(s): ${unknown.join(", ")}`, unknown.map((k) => ({ path: k, message: "unknown flag" })));
    const parsed = new Map<FlagName, unknown>();
    const issues: { path: string; message: string }[] = [];
    for (const [key, value] of Object.entries(changes) as [FlagName, unknown][]) {
      if (value === null) {
        parsed.set(key, null);
        continue;
      }
      const result = this.registry[key].schema.safeParse(value);
      if (result.success) parsed.set(key, result.data);
      else issues.push({ path: key, message: `expected ${describeType(this.registry[key].schema)}: ${result.error.issues.map((i) => i.message).join("; ")}` });
    }
    if (issues.length) throw new ValidationError("flag_invalid", `invalid value for ${issues.map((i) => i.path).join(", ")}`, issues);
    const changed: string[] = [];
    await this.store.db.$transaction(async (tx) => {
      const flags = new FlagRepository(tx);
      const stored = new Map((await flags.all()).map((r) => [r.key, r.value as FlagValue]));
      const next = new Map<string, unknown>(stored);
      for (const [key, value] of parsed) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      if ([...parsed.keys()].some((k) => this.registry[k].group === "assembly")) this.checkAssemblyGroup(next);
      for (const [key, value] of parsed) {
        const before = stored.get(key) ?? null;
        if (value === null) {
          if (!stored.has(key)) continue;
          await flags.remove(key);
        } else {
          if (stored.has(key) && stored.get(key) === value) continue;
          await flags.upsert(key, value as FlagValue, actor);
        }
        await flags.log({ actor, action: options.action ?? "flag.set", target: key, before, after: value as FlagValue | null });
        changed.push(key);
      }
    });
    if (changed.length > 0) {
      this.cache.invalidate();
      await this.bus.publish(changed);
    }
    return this.list();
  }

  private checkAssemblyGroup(next: Stored): void {
    const overrides: Record<string, unknown> = {};
    for (const name of flagNames(this.registry)) {
      if (this.registry[name].group !== "assembly" || !next.has(name)) continue;
      overrides[name.slice(ASSEMBLY_PARAM_PREFIX.length)] = next.get(name);
    }
    const params: Record<string, unknown> = {};
    for (const name of flagNames(this.registry)) {
      if (this.registry[name].group === "assembly") params[name.slice(ASSEMBLY_PARAM_PREFIX.length)] = this.registry[name].default;
    }
    try {
      resolveParams({ ...params, ...overrides });
    } catch (err) {
      if (err instanceof AssemblyError) throw new ValidationError("flag_invalid", err.message, [{ path: "assembly", message: err.message }]);
      throw err;
    }
  }

  /** Drops this process's cached flags (the change bus calls it). */
  invalidate(): void {
    this.cache.invalidate();
  }

  auditLog(limit = 100) {
    return new FlagRepository(this.store.db).auditLog(limit);
  }

  /** One page of the audit log, newest first, filtered on the server (decision 0032). */
  async auditLogPage(filter: { action?: string; actor?: string; target?: string; cursor?: string; limit?: number }) {
    const limit = filter.limit ?? 200;
    const before = filter.cursor ? decodeInstantCursor(filter.cursor) : undefined;
    const rows = await new AuditLogRepository(this.store.db).list({ action: filter.action, actor: filter.actor, target: filter.target, before, limit: limit + 1 });
    return pageOf(rows, limit, (r) => r, (r) => encodeInstantCursor({ at: r.createdAt, id: r.id }));
  }

  async close(): Promise<void> {
    await this.bus.close();
  }
}
