// A start-up problem the user can fix: the message says what is wrong and how.
export class LauncherError extends Error {
  override readonly name = "LauncherError";
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}
