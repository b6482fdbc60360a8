// Developer portal accounts (docs/decisions/0029): sign-up and sign-in with email
// and password (argon2id, `@node-rs/argon2` library defaults, as for operators),
// and the portal session the API puts in an HttpOnly cookie. The session token
// is 256 random bits; only its SHA-256 is stored (one indexed lookup per
// request, like API keys), so signing out deletes the row and the cookie stops
// working at once. Each session has its own CSRF token, which the portal sends
// back in a header on state-changing requests (the cookie alone never is).
//
// No enumeration by sign-in: an unknown email, a developer without a password
// and a wrong password get the same 401 `invalid_credentials` after the same
// work (one lookup, one argon2 verify — against a dummy hash when there is no
// account). Sign-up does say that an email is taken (409): it has to, for the
// person to know to sign in instead; the per-client rate limit bounds probing.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { ConflictError, UnauthorizedError, ValidationError } from "../errors";
import type { Store } from "../repositories";
import type { DeveloperView } from "./developer-service";
import { isUniqueViolation } from "./unique-violation";

export const MIN_DEVELOPER_PASSWORD_LENGTH = 12;
export const DEVELOPER_SESSION_PATTERN = /^ds_[A-Za-z0-9_-]{43}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A new portal session: `token` goes into the cookie and is never shown to scripts; `csrfToken` is for the page. */
export type IssuedDeveloperSession = { token: string; csrfToken: string; expiresAt: Date; developer: DeveloperView };
export type DeveloperSessionPrincipal = { developerId: string; sessionId: string; csrfToken: string; expiresAt: Date };

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function looksLikeDeveloperSession(value: string): boolean {
  return value.startsWith("ds_");
}

export class DeveloperAuthService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async signUp(input: { email: string; name: string; password: string }): Promise<IssuedDeveloperSession> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    if (!EMAIL.test(email)) throw new ValidationError("email_invalid", "that is not an email address", [{ path: "email", message: "expected an email address" }]);
    if (name.length === 0) throw new ValidationError("name_invalid", "tell us a name to show on your account", [{ path: "name", message: "empty" }]);
    if (input.password.length < MIN_DEVELOPER_PASSWORD_LENGTH) {
      throw new ValidationError("password_too_short", `choose a password of at least ${MIN_DEVELOPER_PASSWORD_LENGTH} characters`, [
        { path: "password", message: `at least ${MIN_DEVELOPER_PASSWORD_LENGTH} characters` },
      ]);
    }
    const passwordHash = await hash(input.password);
    try {
      return await this.store.transaction(async (repos) => {
        const row = await repos.developers.create({ email, name, passwordHash });
        return this.issue(repos, view(row));
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("developer_exists", `an account for ${email} already exists; sign in instead`);
      throw err;
    }
  }

  async signIn(input: { email: string; password: string }): Promise<IssuedDeveloperSession> {
    const email = input.email.trim().toLowerCase();
    const row = await this.store.repos.developers.findByEmail(email);
    // Same argon2 work whether or not the account exists or has a password.
    const ok = await verify(row?.passwordHash ?? (await this.dummy()), input.password).catch(() => false);
    if (!row || !row.passwordHash || !ok) {
      throw new UnauthorizedError("invalid_credentials", "that email and password do not match an account; check both, or create an account");
    }
    await this.store.repos.developerSessions.deleteExpired(row.id, this.clock());
    return this.issue(this.store.repos, view(row));
  }

  /** The live session a cookie token names; UnauthorizedError when it is malformed, unknown, signed out or expired. */
  async authenticate(token: string): Promise<DeveloperSessionPrincipal> {
    if (!DEVELOPER_SESSION_PATTERN.test(token)) throw new UnauthorizedError("session_invalid", "your session is not valid; sign in again");
    const row = await this.store.repos.developerSessions.findLive(hashSessionToken(token), this.clock());
    if (!row) throw new UnauthorizedError("session_invalid", "your session has ended; sign in again");
    return { developerId: row.developerId, sessionId: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
  }

  /** A state-changing request made with the cookie must carry the session's CSRF token (constant-time compare). */
  checkCsrf(session: DeveloperSessionPrincipal, sent: string | null): void {
    const expected = Buffer.from(session.csrfToken);
    const given = Buffer.from(sent ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedError("csrf_token_invalid", "this request came with your session cookie but without its CSRF token (X-CSRF-Token); reload the page and try again");
    }
  }

  async signOut(sessionId: string): Promise<void> {
    await this.store.repos.developerSessions.delete(sessionId);
  }

  private async issue(repos: Store["repos"], developer: DeveloperView): Promise<IssuedDeveloperSession> {
    const token = `ds_${randomBytes(32).toString("base64url")}`;
    const csrfToken = randomBytes(32).toString("base64url");
    const expiresAt = new Date(this.clock().getTime() + this.ttlSeconds * 1000);
    await repos.developerSessions.create({ developerId: developer.id, tokenHash: hashSessionToken(token), csrfToken, expiresAt });
    return { token, csrfToken, expiresAt, developer };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hash("assay-dummy-developer-password-for-timing");
    return this.dummyHash;
  }
}

function view(row: { id: string; email: string; name: string; createdAt: Date }): DeveloperView {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt.toISOString() };
}
