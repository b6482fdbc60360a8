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
    .option("--json", "print the audit report as JSON on stdout, and nothing else")
    .action(async (dir: string, options: Record<string, unknown>) => {
      const { validateCommand } = await import("./commands/validate");
      onExit(await validateCommand(dir, options, io));
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
