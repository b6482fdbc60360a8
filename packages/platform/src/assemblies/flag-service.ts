// Operator-overridable flags (SPEC §5: "all parameters are operator flags with
// documented defaults"). Keys: `assembly.required` (boolean) and
// `assembly.<param>` for every AssemblyParams field. A stored row overrides the
// default; storing null removes the override. Every change is validated as a
// whole with the assembly params zod schema (resolveParams) and written with an
// audit-log row per changed key, in one transaction.
import { AssemblyError, PARAM_DESCRIPTIONS, resolveParams, type AssemblyParamOverrides, type AssemblyParams } from "@assay/assembly";
import { z } from "zod";
import type { Prisma } from "../generated/prisma";
import { ValidationError } from "../errors";
import type { Store } from "../repositories";
import { FlagRepository } from "./repositories";

export const ASSEMBLY_REQUIRED_FLAG = "assembly.required";
const PARAM_PREFIX = "assembly.";

export type FlagView = { key: string; value: unknown; default: unknown; overridden: boolean; description: string };

export const FlagChangesSchema = z.record(z.string().min(1).max(128), z.union([z.boolean(), z.number(), z.null()]));
export type FlagChanges = z.infer<typeof FlagChangesSchema>;

export class FlagService {
  constructor(
    private readonly store: Store,
    /** Defaults that come from the deployment's configuration. */
    private readonly defaults: { assemblyRequired: boolean; paramDefaults?: AssemblyParamOverrides },
  ) {}

  private async stored(): Promise<Map<string, unknown>> {
    const rows = await new FlagRepository(this.store.db).all();
    return new Map(rows.map((r) => [r.key, r.value as unknown]));
  }

  private defaultsMap(): Map<string, unknown> {
    const map = new Map<string, unknown>([[ASSEMBLY_REQUIRED_FLAG, this.defaults.assemblyRequired]]);
    for (const [name, value] of Object.entries(resolveParams(this.defaults.paramDefaults ?? {}))) map.set(PARAM_PREFIX + name, value);
    return map;
  }

  async list(): Promise<FlagView[]> {
    const stored = await this.stored();
    return [...this.defaultsMap()].map(([key, def]) => ({
      key,
      value: stored.has(key) ? stored.get(key) : def,
      default: def,
      overridden: stored.has(key),
      description:
        key === ASSEMBLY_REQUIRED_FLAG
          ? "a passing audit convenes a validator assembly before certification (false: audit-only certificates)"
          : PARAM_DESCRIPTIONS[key.slice(PARAM_PREFIX.length) as keyof AssemblyParams],
    }));
  }

  async assemblyRequired(): Promise<boolean> {
    const value = (await this.stored()).get(ASSEMBLY_REQUIRED_FLAG);
    return typeof value === "boolean" ? value : this.defaults.assemblyRequired;
  }

  /** The assembly parameters now: defaults merged with the stored overrides. */
  async assemblyParams(): Promise<AssemblyParams> {
    return resolveParams({ ...this.defaults.paramDefaults, ...overridesOf(await this.stored()) });
  }

  /** Applies changes (null removes an override); refuses the whole set if any key or the merged parameters are invalid. */
  async update(changes: FlagChanges, actor: string): Promise<FlagView[]> {
    const known = this.defaultsMap();
    const issues = Object.keys(changes)
      .filter((k) => !known.has(k))
      .map((k) => ({ path: k, message: "unknown flag" }));
    if (issues.length) throw new ValidationError("flag_unknown", "unknown flag(s)", issues);
    const required = changes[ASSEMBLY_REQUIRED_FLAG];
    if (required !== undefined && required !== null && typeof required !== "boolean") {
      throw new ValidationError("flag_invalid", "assembly.required must be a boolean", [{ path: ASSEMBLY_REQUIRED_FLAG, message: "expected a boolean" }]);
    }
    await this.store.db.$transaction(async (tx) => {
      const flags = new FlagRepository(tx);
      const stored = new Map((await flags.all()).map((r) => [r.key, r.value as unknown]));
      const next = new Map(stored);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      try {
        resolveParams({ ...this.defaults.paramDefaults, ...overridesOf(next) });
      } catch (err) {
        if (err instanceof AssemblyError) throw new ValidationError("flag_invalid", err.message, [{ path: "assembly", message: err.message }]);
        throw err;
      }
      for (const [key, value] of Object.entries(changes)) {
        const before = stored.has(key) ? (stored.get(key) as Prisma.InputJsonValue) : null;
        if (value === null) {
          if (!stored.has(key)) continue;
          await flags.remove(key);
        } else {
          if (stored.has(key) && stored.get(key) === value) continue;
          await flags.upsert(key, value, actor);
        }
        await flags.log({ actor, action: "flag.set", target: key, before, after: value });
      }
    });
    return this.list();
  }

  auditLog(limit = 100) {
    return new FlagRepository(this.store.db).auditLog(limit);
  }
}

function overridesOf(stored: Map<string, unknown>): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const [key, value] of stored) {
    if (key === ASSEMBLY_REQUIRED_FLAG || !key.startsWith(PARAM_PREFIX)) continue;
    overrides[key.slice(PARAM_PREFIX.length)] = value;
  }
  return overrides;
}
