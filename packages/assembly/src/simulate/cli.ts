// `npm run simulate -w @assay/assembly -- --rounds 200 --json`
// Runs the assembly simulation and writes the reputation plot.
// `npm run simulate -w @assay/assembly -- --sybil --json`
// Runs the Sybil scenario (capture rate under the open and admitted rules).
// Exit codes: 0 done, 2 bad usage (message on stderr naming the problem).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AssemblyError } from "../errors";
import { PROFILES } from "./population";
import { runSimulation, type SimulationOptionsInput } from "./run";
import { runSybilScenario, type SybilOptionsInput } from "./sybil";
import { reputationSvg } from "./svg";

const DEFAULT_SVG = resolve(__dirname, "../../../../docs/assembly-reputation.svg");

const USAGE = `usage: simulate [--rounds N] [--seed S] [--validators N]
  [--honest F] [--lazy F] [--contrarian F] [--colluding F] [--absent F]
  [--param name=value ...] [--svg FILE | --no-svg] [--json]
       simulate --sybil [--assemblies N] [--seed S] [--identities N] [--attacker-share F]
  [--budget-multiple F] [--declared-stake N] [--param name=value ...] [--json]`;

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${text}"`);
  return value;
}

class UsageError extends Error {}

function paramOverride(text: string): [string, number | boolean] {
  const match = /^([A-Za-z]+)=(.+)$/.exec(text);
  if (!match) throw new UsageError(`--param must be name=value, got "${text}"`);
  const raw = match[2]!;
  const value = raw === "true" ? true : raw === "false" ? false : Number(raw);
  if (typeof value === "number" && !Number.isFinite(value)) throw new UsageError(`--param ${match[1]} must be a number or a boolean`);
  return [match[1]!, value];
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: "string" },
      seed: { type: "string" },
      validators: { type: "string" },
      honest: { type: "string" },
      lazy: { type: "string" },
      contrarian: { type: "string" },
      colluding: { type: "string" },
      absent: { type: "string" },
      sybil: { type: "boolean" },
      assemblies: { type: "string" },
      identities: { type: "string" },
      "attacker-share": { type: "string" },
      "budget-multiple": { type: "string" },
      "declared-stake": { type: "string" },
      param: { type: "string", multiple: true },
      svg: { type: "string" },
      "no-svg": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.sybil) return sybil(values);
  const options: SimulationOptionsInput = {};
  const rounds = number("rounds", values.rounds);
  if (rounds !== undefined) options.rounds = rounds;
  const validators = number("validators", values.validators);
  if (validators !== undefined) options.validators = validators;
  if (values.seed !== undefined) options.seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const given = PROFILES.map((p) => [p, number(p, values[p])] as const);
  if (given.some(([, v]) => v !== undefined)) {
    const defaults = { honest: 0.55, lazy: 0.15, contrarian: 0.15, colluding: 0.15, absent: 0 };
    options.shares = Object.fromEntries(given.map(([p, v]) => [p, v ?? defaults[p]])) as typeof defaults;
  }
  if (values.param) options.params = Object.fromEntries(values.param.map(paramOverride));

  const result = runSimulation(options);
  const { history, ...summary } = result;
  if (!values["no-svg"]) {
    const file = values.svg ? resolve(values.svg) : DEFAULT_SVG;
    mkdirSync(dirname(file), { recursive: true });
    const labels = Object.fromEntries(PROFILES.map((p) => [p, `${p} ${Math.round(result.profiles[p].share * 100)}%`]));
    writeFileSync(file, reputationSvg(history, `Mean reputation per profile (${result.validators} validators, seed ${result.seed})`, labels));
    if (!values.json) process.stderr.write(`wrote ${file}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`assemblies ${summary.rounds}, validators ${summary.validators}, seed ${summary.seed}\n`);
  for (const p of PROFILES) {
    const s = summary.profiles[p];
    if (s.count === 0) continue;
    process.stdout.write(`${p.padEnd(11)} share ${s.share.toFixed(2)}  reputation ${s.reputation.toFixed(4)}  stake ${s.stake}\n`);
  }
  process.stdout.write(
    `wrong outcomes ${summary.wrongOutcomes}, escalated ${summary.escalatedOutcomes}, mean rounds ${summary.meanAssemblyRounds}\n`,
  );
  return 0;
}

type Values = { [name: string]: string | boolean | string[] | undefined };

function sybil(values: Values): number {
  const options: SybilOptionsInput = {};
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const assemblies = number("assemblies", text("assemblies"));
  if (assemblies !== undefined) options.assemblies = assemblies;
  const identities = number("identities", text("identities"));
  if (identities !== undefined) options.identities = identities;
  const attackerShare = number("attacker-share", text("attacker-share"));
  if (attackerShare !== undefined) options.attackerShare = attackerShare;
  const budgetMultiple = number("budget-multiple", text("budget-multiple"));
  if (budgetMultiple !== undefined) options.budgetMultiple = budgetMultiple;
  const declared = text("declared-stake");
  if (declared !== undefined) options.declaredStake = declared;
  const seed = text("seed");
  if (seed !== undefined) options.seed = /^-?\d+$/.test(seed) ? Number(seed) : seed;
  if (Array.isArray(values.param)) options.params = Object.fromEntries(values.param.map(paramOverride));
  const result = runSybilScenario(options);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(
    `sybil: attacker holds ${result.attackerIdentities} of ${result.identities} identities; ${result.assemblies} assemblies of ${result.seatCount} seats, seed ${result.seed}\n` +
      `capture rate (attacker holds a majority of seats): open ${result.captureRate.open}, admitted ${result.captureRate.admitted}\n` +
      `  attacker identities of one model family: open ${result.captureRateSharedFamily.open}, admitted ${result.captureRateSharedFamily.admitted}\n` +
      `attacker weight share: open ${result.attackerWeightShare.open}, admitted ${result.attackerWeightShare.admitted}\n` +
      result.assumptions.map((a) => `  - ${a}\n`).join(""),
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof AssemblyError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`simulate: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else throw error;
}
