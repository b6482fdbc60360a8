// Entry point of the `assay` executable (see bin/assay.cjs): parse, run one
// command, map its outcome or error to an exit code (errors.ts), and let the
// process end on its own so stdout is fully flushed to pipes.
import { useNodeSha256 } from "@assay/protocol/node";
import { describeError, ExitCode } from "./errors";
import { processIo } from "./io";
import { buildProgram } from "./program";

export async function main(argv: readonly string[]): Promise<ExitCode> {
  useNodeSha256();
  const io = processIo();
  let exitCode: ExitCode = ExitCode.Ok;
  const program = buildProgram({ io, onExit: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    const outcome = describeError(error);
    if (outcome.message) io.stderr(`assay: ${outcome.message}\n`);
    exitCode = outcome.exitCode;
  }
  return exitCode;
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
