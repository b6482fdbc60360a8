// Operator accounts: argon2id password hashes and a TOTP second factor whose
// secret is encrypted at rest. Login answers one error for every failure
// (unknown email, wrong password, wrong or replayed code) so it reveals nothing.
import { hash, verify } from "@node-rs/argon2";
import { generateSecret, generateURI, verify as verifyTotp } from "otplib";
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from "../errors";
import type { OperatorRole } from "../generated/prisma";
import type { Store } from "../repositories";
import type { SecretBox } from "../crypto/secret-box";
import { isUniqueViolation } from "./unique-violation";

export const OPERATOR_ROLES = ["admin", "reviewer", "support"] as const satisfies readonly OperatorRole[];
export const MIN_PASSWORD_LENGTH = 12;
/** Accept the previous and the next 30 s step too (clock skew), as RFC 6238 §5.2 suggests. */
const TOTP_TOLERANCE_SECONDS = 30;

export type OperatorView = { id: string; email: string; role: OperatorRole; createdAt: string };
export type CreatedOperator = { operator: OperatorView; totpSecret: string; otpauthUri: string };

export class OperatorService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
    private readonly issuerName = "Assay",
    private readonly clock: () => Date = () => new Date(),
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
    const invalid = new UnauthorizedError("invalid_credentials", "email, password or one-time code is wrong");
    const row = await this.store.repos.operators.findByEmail(input.email.trim().toLowerCase());
    if (!row) {
      // Same work as for a real account, so timing does not tell which emails exist.
      await verify(await this.dummy(), input.password).catch(() => false);
      throw invalid;
    }
    const passwordOk = await verify(row.passwordHash, input.password).catch(() => false);
    if (!passwordOk || row.disabledAt) throw invalid;
    if (!/^\d{6}$/.test(input.totp)) throw invalid;
    const result = await verifyTotp({
      secret: this.secrets.open("totp-secret", row.totpSecretEncrypted),
      token: input.totp,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      epoch: Math.floor(this.clock().getTime() / 1000),
      ...(row.lastTotpStep !== null ? { afterTimeStep: Number(row.lastTotpStep) } : {}),
    });
    if (!result.valid || !("timeStep" in result)) throw invalid;
    if (!(await this.store.repos.operators.claimTotpStep(row.id, result.timeStep))) throw invalid;
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
