// The commander program: argument parsing only. Each action lazily imports its
// command module (so `assay --help` loads neither esbuild nor the audit engine)
// and reports the command's exit code through `onExit`.
import { Command, Option } from "commander";
import type { ExitCode } from "./errors";
import { DEFAULT_AUDIT_SEED } from "./defaults";
import type { CommandIo } from "./io";

export type ProgramDeps = { io: CommandIo; onExit(code: ExitCode): void };

export function buildProgram({ io, onExit }: ProgramDeps): Command {
  const program = new Command("assay")
    .description("Audit and certify Sigma runtimes: scaffold, validate locally, submit, verify.")
    .addHelpText("after", "\nEnvironment: ASSAY_API_URL (default http://127.0.0.1:3000), ASSAY_API_KEY; both override ~/.config/assay/config.json.")
    .version(readVersion(), "-V, --version")
    .showHelpAfterError("(run assay --help for usage)")
    .configureOutput(output(io))
    .exitOverride();

  program
    .command("init")
    .description("scaffold a runtime directory from the reference runtime")
    .argument("<dir>", "directory to create (or an empty one)")
    .option("--name <name>", "runtime name for sigma-runtime.json (default: from <dir>)")
    .option("--force", "scaffold into a non-empty directory, overwriting same-named files")
    .addOption(new Option("--language <language>", "runtime language: javascript (default) or python").choices(["javascript", "python"]))
    .option("--json", "print the result as JSON on stdout")
    .action(async (dir: string, options: Record<string, unknown>) => {
      const { initCommand } = await import("./commands/init");
      onExit(await initCommand(dir, options, io));
    });

  program
    .command("validate")
    .description("audit a runtime directory locally in the sandbox (same engine as the server)")
    .argument("<dir>", "runtime directory holding sigma-runtime.json")
    .addOption(new Option("--suite <id>", "audit suite (default: the manifest's suite)"))
    .addOption(new Option("--seed <n>", `audit seed, a whole number 0..4294967295 (default: ${DEFAULT_AUDIT_SEED})`))
    .addOption(new Option("--srip13 <mode>", "SRIP-13 rollout mode the audit runs under, as the platform's flag srip13.mode (default: enforce)").choices(["off", "shadow", "enforce"]))
    .addOption(new Option("--parallelism <n>", "audit child processes run at once, 1..64; the report is the same whatever n (default: the machine's cores)"))
    .option("--json", "print the audit report as JSON on stdout, and nothing else")
    .action(async (dir: string, options: Record<string, unknown>) => {
      const { validateCommand } = await import("./commands/validate");
      onExit(await validateCommand(dir, options, io));
    });

  program
    .command("login")
    .description("check an API key against the Assay API and store it (with the API URL) in ~/.config/assay/config.json")
    .option("--api-url <url>", "API base URL (default: ASSAY_API_URL, the stored URL, or http://127.0.0.1:3000)")
    .option("--api-key <key>", "developer API key (default: ASSAY_API_KEY)")
    .option("--json", "print { apiUrl, developer } as JSON on stdout")
    .action(async (options: Record<string, unknown>) => {
      const { loginCommand } = await import("./commands/login");
      onExit(await loginCommand(options, io));
    });

  program
    .command("submit")
    .description("upload a runtime directory for certification (the same artifact and subject digest as validate)")
    .argument("<dir>", "runtime directory holding sigma-runtime.json")
    .option("--wait", "follow the submission until it is certified, rejected or failed (exit 1 unless certified)")
    .option("--quote", "submit nothing: print what it would cost now (with --json: { total, currency, lines, catalogueVersion, expiresAt })")
    .option("--json", "print { id, status } (with --wait: { id, status, certificateId? }) as JSON on stdout, and nothing else")
    .action(async (dir: string, options: Record<string, unknown>) => {
      const { submitCommand } = await import("./commands/submit");
      onExit(await submitCommand(dir, options, io));
    });

  program
    .command("usage")
    .description("show your metered usage: model tokens, sandbox CPU ms, storage bytes, assembly seats")
    .option("--from <instant>", "only usage measured at or after this ISO instant")
    .option("--to <instant>", "only usage measured before this ISO instant")
    .option("--submission <id>", "only the usage of this submission of yours")
    .option("--json", "print the totals per kind (decimal strings) as JSON on stdout")
    .action(async (options: Record<string, unknown>) => {
      const { usageCommand } = await import("./commands/usage");
      onExit(await usageCommand(options, io));
    });

  const credits = program
    .command("credits")
    .description("show your credits (available, held by submissions in flight)")
    .option("--json", "print { available, held, currency } as JSON on stdout")
    .action(async (options: Record<string, unknown>) => {
      const { creditsCommand } = await import("./commands/credits");
      onExit(await creditsCommand(options, io));
    });
  credits
    .command("redeem")
    .description("redeem a voucher code (once per voucher)")
    .argument("<code>", "the voucher code (vch_...)")
    .option("--json", "print { credited, balance } as JSON on stdout")
    .action(async (code: string, options: Record<string, unknown>) => {
      const { redeemCommand } = await import("./commands/credits");
      // `--json` after `redeem` may be taken by the parent command's own --json.
      onExit(await redeemCommand(code, { ...credits.opts(), ...options }, io));
    });
  credits
    .command("deposit")
    .description("deposit on chain: Treasury.depositFee with your reference, signed with a local key (ASSAY_DEPOSIT_PRIVATE_KEY or --key-file); credited after the platform's confirmations")
    .option("--amount <credits>", "credits to buy (sends credits × the platform's wei per credit)")
    .option("--tx <hash>", "claim an earlier deposit transaction instead of sending one")
    .option("--key-file <file>", "file holding the payer's private key (0x + 64 hex); default: ASSAY_DEPOSIT_PRIVATE_KEY")
    .option("--rpc-url <url>", "the chain's JSON-RPC endpoint (default: ASSAY_CHAIN_RPC_URL, else the platform's discovery document)")
    .option("--no-wait", "do not wait for the confirmations (prints pending)")
    .option("--timeout <seconds>", "how long to wait for the confirmations (default 120)")
    .option("--json", "print the claim { txHash, status, confirmations, required, deposits, credited, balance } as JSON on stdout")
    .action(async (options: Record<string, unknown>) => {
      const { depositCommand } = await import("./commands/credits");
      onExit(await depositCommand({ ...credits.opts(), ...options }, io));
    });

  program
    .command("status")
    .description("show a submission's status")
    .argument("<id>", "submission id (as printed by assay submit)")
    .option("--watch", "follow the live event stream until a final state, with progress on stderr")
    .option("--json", "print { id, status, certificateId? } as JSON on stdout, and nothing else")
    .action(async (id: string, options: Record<string, unknown>) => {
      const { statusCommand } = await import("./commands/status");
      onExit(await statusCommand(id, options, io));
    });

  program
    .command("certificate")
    .description("fetch a certificate document { id, payload, jws, anchor? }")
    .argument("<id>", "certificate id (0x + 64 hex) or submission id (UUID)")
    .option("--out <file>", "write the document to this file instead of stdout")
    .option("--chain", "print the supersedes chain through this certificate instead (renewals), newest → oldest, with statuses")
    .option("--json", "with --out, print { id, out } as JSON on stdout; with --chain, the chain { certificateId, current, items }")
    .action(async (id: string, options: Record<string, unknown>) => {
      const { certificateCommand } = await import("./commands/certificate");
      onExit(await certificateCommand(id, options, io));
    });

  program
    .command("auto-renew")
    .description("show or set your auto-renew opt-in: certificates re-audited (and charged) before they expire and when the suite version changes")
    .argument("[state]", "on or off (omit to show the current setting)")
    .option("--json", "print { enabled, windowDays } as JSON on stdout")
    .action(async (state: string | undefined, options: Record<string, unknown>) => {
      const { autoRenewCommand } = await import("./commands/renewals");
      onExit(await autoRenewCommand(state, options, io));
    });

  program
    .command("renewals")
    .description("list renewal attempts of your certificates, newest first, with why each declined or failed one did")
    .option("--certificate <id>", "only this certificate's attempts")
    .option("--json", "print { items: [...] } as JSON on stdout")
    .action(async (options: Record<string, unknown>) => {
      const { renewalsCommand } = await import("./commands/renewals");
      onExit(await renewalsCommand(options, io));
    });

  program
    .command("verify")
    .description("verify a certificate locally: id, signature against the issuer's keys, issuer, time window, status, anchor, artifact, status list, transparency log")
    .argument("<file|id>", "certificate document file, or certificate id (0x + 64 hex) to fetch")
    .option("--artifact <dir>", "runtime directory whose subject digest must match the certificate's")
    .option("--status-list <file>", "a saved signed status list (the JSON of GET /v1/public/status-list, or its jws) to check the certificate's bit against, e.g. offline")
    .option("--json", "print { valid, checks: [{ name, ok, detail }] } as JSON on stdout, and nothing else")
    .action(async (target: string, options: Record<string, unknown>) => {
      const { verifyCommand } = await import("./commands/verify");
      onExit(await verifyCommand(target, options, io));
    });

  program
    .command("search")
    .description("search the public registry of certificates (newest first); exit 1 when nothing matches")
    .argument("[name]", "runtime name contains this (case-insensitive)")
    .option("--claim <srip>", "the certificate evidences this SRIP, e.g. SRIP-05")
    .addOption(new Option("--status <status>", "registry status").choices(["certified", "expired", "suspended", "revoked"]))
    .option("--suite <id>", "audit suite id, e.g. core")
    .option("--suite-version <version>", "audit suite version, e.g. 1.0.0")
    .option("--issued-from <date>", "issued at or after this date or ISO instant")
    .option("--issued-before <date>", "issued before this date or ISO instant")
    .option("--limit <n>", "certificates per page, 1..100 (default 20)")
    .option("--cursor <cursor>", "continue from a previous page (its nextCursor)")
    .option("--all", "follow every page (at most 50 requests)")
    .option("--json", "print { items, nextCursor } as JSON on stdout, and nothing else")
    .action(async (name: string | undefined, options: Record<string, unknown>) => {
      const { searchCommand } = await import("./commands/search");
      onExit(await searchCommand(name, options, io));
    });

  // Commander's own failures (unknown command/option, missing argument) surface
  // as CommanderError through exitOverride and are mapped in errors.ts.
  for (const command of program.commands) {
    command.exitOverride().configureOutput(output(io));
  }
  return program;
}

/** Commander writes through the command's io; its errors read like ours ("assay: ..."). */
function output(io: CommandIo) {
  return {
    writeOut: (text: string) => io.stdout(text),
    writeErr: (text: string) => io.stderr(text),
    outputError: (text: string, write: (text: string) => void) => write(text.replace(/^error: /, "assay: ")),
  };
}

function readVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../package.json") as { version: string }).version;
}
