// The streams a command writes to, injected so commands never touch process.* directly.
export type CommandIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (live progress is drawn there). */
  stderrIsTty: boolean;
  /** Colour the human-readable output on stdout: a terminal, and NO_COLOR unset (https://no-color.org). */
  stdoutColors: boolean;
  stderrStream: NodeJS.WriteStream;
  /**
   * Run `cleanup` if the user interrupts (Ctrl-C), then exit 130. Returns the
   * function that removes the handler. Why: a live progress display hides the
   * cursor and must restore the terminal before the process goes.
   */
  onInterrupt(cleanup: () => void): () => void;
};

export function processIo(): CommandIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    stdoutColors: process.stdout.isTTY === true && !process.env.NO_COLOR,
    stderrStream: process.stderr,
    onInterrupt(cleanup) {
      const handler = () => {
        cleanup();
        process.stderr.write("\nassay: interrupted\n");
        process.exit(130);
      };
      process.once("SIGINT", handler);
      process.once("SIGTERM", handler);
      return () => {
        process.removeListener("SIGINT", handler);
        process.removeListener("SIGTERM", handler);
      };
    },
  };
}
