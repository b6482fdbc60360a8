import { DomainError } from "../errors";

/** The stored tree is missing a node it must have: the database was edited or damaged. Never retried into a different tree. */
export class LogCorruptError extends DomainError {
  readonly kind = "unavailable";
  constructor(message: string) {
    super("transparency_log_corrupt", message);
  }
}
