// The streams a command writes to, injected so commands never touch process.* directly.
export type CommandIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (live progress is drawn there). */
  stderrIsTty: boolean;
  /** Colour the human-readable output on stdout: a terminal, and NO_COLOR unset (https://no-color.org). */
  stdoutColors: boolean;
  stderrStream: NodeJS.WriteStream;
};

export function processIo(): CommandIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    stdoutColors: process.stdout.isTTY === true && !process.env.NO_COLOR,
    stderrStream: process.stderr,
  };
}
