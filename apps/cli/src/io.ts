// The streams a command writes to, injected so commands never touch process.* directly.
export type CommandIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (live progress is drawn there). */
  stderrIsTty: boolean;
  /** Whether stdout is an interactive terminal (colours in the summary). */
  stdoutIsTty: boolean;
  stderrStream: NodeJS.WriteStream;
};

export function processIo(): CommandIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrStream: process.stderr,
  };
}
