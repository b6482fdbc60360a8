// The flag registry (issue 9 item 7): one table of every operator flag — name,
// zod type, default, description. Every reader goes through FlagService, which
// reads this table; a flag that is not here does not exist (PUT refuses it with
// flag_unknown) and a value that does not parse with its type is refused
// (flag_invalid). Defaults of `assembly.required` and of the assembly
// parameters come from the deployment's configuration; the others are fixed.
import { AssemblyParamOverrides, PARAM_DESCRIPTIONS, resolveParams, type AssemblyParams } from "@assay/assembly";
import { DEFAULT_SRIP13_MODE, Srip13Mode } from "@assay/protocol";
import { z } from "zod";

/** Every flag and the type of its value. */
export type FlagValues = {
  "assembly.required": boolean;
  "payments.prepaid": boolean;
  "payments.vouchers": boolean;
  "payments.deposits": boolean;
  "srip13.mode": Srip13Mode;
} & { [K in keyof AssemblyParams as `assembly.${K}`]: AssemblyParams[K] };
export type FlagName = keyof FlagValues;

export type FlagDefinition<T = unknown> = {
  /** The value's type: a stored value or a change is parsed with it. */
  schema: z.ZodType<T>;
  default: T;
  description: string;
  /**
   * Flags validated together (all of them at once, after a change): the
   * assembly parameters have cross-field rules (supermajority > 1/2).
   */
  group?: "assembly";
};

export type FlagRegistry = { readonly [K in FlagName]: FlagDefinition<FlagValues[K]> };

/** Defaults that come from the deployment's configuration (AppConfig). */
export type DeploymentFlagDefaults = { assemblyRequired: boolean; paramDefaults?: Partial<AssemblyParams> };

export const ASSEMBLY_REQUIRED_FLAG = "assembly.required" satisfies FlagName;
export const SRIP13_MODE_FLAG = "srip13.mode" satisfies FlagName;
export const ASSEMBLY_PARAM_PREFIX = "assembly.";

const def = <T>(schema: z.ZodType<T>, value: T, description: string, group?: "assembly"): FlagDefinition<T> => ({ schema, default: value, description, ...(group ? { group } : {}) });

/** The table. Order is the order operators see. */
export function flagRegistry(defaults: DeploymentFlagDefaults): FlagRegistry {
  const params = resolveParams(defaults.paramDefaults ?? {});
  const shape = AssemblyParamOverrides.shape as Record<keyof AssemblyParams, z.ZodOptional<z.ZodType>>;
  const assembly = Object.fromEntries(
    (Object.keys(PARAM_DESCRIPTIONS) as (keyof AssemblyParams)[]).map((name) => [`${ASSEMBLY_PARAM_PREFIX}${name}`, def(shape[name].unwrap(), params[name], PARAM_DESCRIPTIONS[name], "assembly")]),
  ) as { [K in keyof AssemblyParams as `assembly.${K}`]: FlagDefinition<AssemblyParams[K]> };
  return {
    "assembly.required": def(z.boolean(), defaults.assemblyRequired, "a passing audit convenes a validator assembly before certification (false: audit-only certificates)"),
    ...assembly,
    "payments.prepaid": def(z.boolean(), true, "operators may grant prepaid credits (off: new grants are refused with 403 payment_method_disabled; credits already granted stay usable)"),
    "payments.vouchers": def(z.boolean(), true, "vouchers can be created and redeemed (off: 403 payment_method_disabled)"),
    "payments.deposits": def(z.boolean(), true, "on-chain deposits are credited (off: POST /v1/developer/deposits answers 403 payment_method_disabled and the deposit indexer pauses at its cursor; deposits made meanwhile are credited once when switched back on)"),
    "srip13.mode": def(
      Srip13Mode,
      DEFAULT_SRIP13_MODE,
      "SRIP-13 rollout: off (not checked, the claim is not-tested), shadow (checked and reported, never counts against the claim), enforce (its major findings withhold the claim); read by the worker at audit start and recorded in the report and certificate",
    ),
  };
}

export function flagNames(registry: FlagRegistry): FlagName[] {
  return Object.keys(registry) as FlagName[];
}

export function isFlagName(registry: FlagRegistry, name: string): name is FlagName {
  return Object.prototype.hasOwnProperty.call(registry, name);
}

/** A flag's type for people (the list route): from its zod type's JSON Schema. */
export function describeType(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema) as { type?: string; enum?: unknown[]; minimum?: number; maximum?: number };
  if (json.enum) return json.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (json.type === "integer" || json.type === "number") {
    const range = json.minimum !== undefined || json.maximum !== undefined ? ` ${json.minimum ?? "-∞"}..${json.maximum ?? "∞"}` : "";
    return `${json.type}${range}`;
  }
  return json.type ?? "json";
}
