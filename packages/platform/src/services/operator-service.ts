// Operator accounts: argon2id password hashes and a TOTP second factor whose
// secret is encrypted at rest. Login answers one error for every failure
// (unknown email, wrong password, wrong or replayed code, locked account) so it
// reveals nothing, and does the same work in each case (one argon2 verify, the
// same failure-count statements), so timing does not tell them apart either.
// Per-account lockout with exponential backoff (docs/decisions/0013): after
// `threshold` consecutive failures the account is locked for `baseSeconds`,
// doubling with each further failure up to `maxSeconds`; while locked, even
// the right password and code are refused; a success resets the count.
import { hash, verify } from "@node-rs/argon2";
import { generateSecret, generateURI, verify as verifyTotp } from "otplib";
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from "../errors";
import type { OperatorRole } from "../repositories";
import type { Store } from "../repositories";
import type { SecretBox } from "../crypto/secret-box";
import { isUniqueViolation } from "./unique-violation";

export const OPERATOR_ROLES = ["admin", "reviewer", "support"] as const satisfies readonly OperatorRole[];
export const MIN_PASSWORD_LENGTH = 12;
/** Accept the previous and the next 30 s step too (clock skew), as RFC 6238 §5.2 suggests. */
const TOTP_TOLERANCE_SECONDS = 30;

export type OperatorView = { id: string; email: string; role: OperatorRole; createdAt: string };
export type CreatedOperator = { operator: OperatorView; totpSecret: string; otpauthUri: string };
export type LoginLockoutPolicy = { threshold: number; baseSeconds: number; maxSeconds: number };
export const DEFAULT_LOGIN_LOCKOUT: LoginLockoutPolicy = { threshold: 5, baseSeconds: 30, maxSeconds: 900 };

/** How long the `failures`-th consecutive failure locks the account (0 below the threshold). Pure. */
export function lockoutSeconds(failures: number, policy: LoginLockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  const exponent = Math.min(failures - policy.threshold, 40);
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
}

export class OperatorService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
    private readonly issuerName = "Assay",
    private readonly clock: () => Date = () => new Date(),
    private readonly lockout: LoginLockoutPolicy = DEFAULT_LOGIN_LOCKOUT,
  ) {}

  /** Creates an operator; the TOTP secret is returned once (enrol it in an authenticator). */
  async create(input: { email: string; password: string; role: OperatorRole }): Promise<CreatedOperator> {
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError("email_invalid", "expected an email address");
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new ValidationError("password_too_short", `operator passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const totpSecret = generateSecret();
    try {
      const row = await this.store.repos.operators.create({
        email,
        passwordHash: await hash(input.password),
        totpSecretEncrypted: this.secrets.seal("totp-secret", totpSecret),
        role: input.role,
      });
      return { operator: view(row), totpSecret, otpauthUri: generateURI({ issuer: this.issuerName, label: email, secret: totpSecret }) };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("operator_exists", `an operator with email ${email} exists`);
      throw err;
    }
  }

  /** Password and TOTP code; each code logs in at most once. */
  async login(input: { email: string; password: string; totp: string }): Promise<OperatorView> {
    const email = input.email.trim().toLowerCase();
    const now = this.clock();
    const row = await this.store.repos.operators.findByEmail(email);
    const fail = async (): Promise<never> => {
      // Unknown accounts get a lock date too: the statements are the same, they just match no row.
      const failures = (row?.failedLogins ?? 0) + 1;
      const seconds = lockoutSeconds(Math.max(failures, this.lockout.threshold), this.lockout);
      await this.store.repos.operators.recordFailedLogin({ email, now, threshold: this.lockout.threshold, lockUntil: new Date(now.getTime() + seconds * 1000) });
      throw new UnauthorizedError("invalid_credentials", "email, password or one-time code is wrong (repeated failures lock the account for a while)");
    };
    // Same argon2 work for a real account, an unknown one and a locked one, so timing does not tell them apart.
    const passwordOk = await verify(row?.passwordHash ?? (await this.dummy()), input.password).catch(() => false);
    if (!row) return fail();
    if (row.lockedUntil && row.lockedUntil > now) return fail();
    if (!passwordOk || row.disabledAt) return fail();
    if (!/^\d{6}$/.test(input.totp)) return fail();
    // A TOTP secret sealed under another key-encryption secret (an install from
    // before decision 0013) can never verify: a refusal like any other, not a 500.
    let totpSecret: string;
    try {
      totpSecret = this.secrets.open("totp-secret", row.totpSecretEncrypted);
    } catch {
      return fail();
    }
    const result = await verifyTotp({
      secret: totpSecret,
      token: input.totp,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      epoch: Math.floor(now.getTime() / 1000),
      ...(row.lastTotpStep !== null ? { afterTimeStep: Number(row.lastTotpStep) } : {}),
    });
    if (!result.valid || !("timeStep" in result)) return fail();
    if (!(await this.store.repos.operators.claimTotpStep(row.id, result.timeStep))) return fail();
    await this.store.repos.operators.clearFailedLogins(row.id);
    return view(row);
  }

  async get(id: string): Promise<OperatorView> {
    const row = await this.store.repos.operators.findById(id);
    if (!row || row.disabledAt) throw new NotFoundError("operator_not_found", `no operator ${id}`);
    return view(row);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hash("assay-dummy-password-for-timing");
    return this.dummyHash;
  }
}

function view(row: { id: string; email: string; role: OperatorRole; createdAt: Date }): OperatorView {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt.toISOString() };
}
