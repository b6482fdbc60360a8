// Session tokens of the planes that have sessions: HS256 JWTs whose audience
// names the plane (`assay:<plane>`), each plane signed with its own key derived
// (HKDF) from the session secret. A token of one plane fails another plane twice
// over: wrong key and wrong audience (docs/decisions/0006). Only the agent plane
// (challenge sign-in) and the operator plane (password + TOTP) issue sessions;
// the developer plane takes API keys and the public plane nothing, so no key
// exists with which to sign or verify a token for them (docs/decisions/0013).
import { hkdfSync } from "node:crypto";
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { UnauthorizedError } from "../errors";

export const PLANES = ["public", "developer", "agent", "operator"] as const;
export type Plane = (typeof PLANES)[number];

/** The planes that issue (and so accept) session tokens. */
export const SESSION_PLANES = ["agent", "operator"] as const;
export type SessionPlane = (typeof SESSION_PLANES)[number];

export const TOKEN_ISSUER = "assay";
export const audienceOf = (plane: Plane): string => `assay:${plane}`;

export type SessionClaims = { plane: SessionPlane; subject: string; role?: string; expiresAt: Date; claims: JWTPayload };

export class SessionTokens {
  private readonly keys: Record<SessionPlane, Uint8Array>;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.keys = Object.fromEntries(
      SESSION_PLANES.map((plane) => [plane, new Uint8Array(hkdfSync("sha256", secret, "assay-session-tokens", `assay:${plane}`, 32))]),
    ) as Record<SessionPlane, Uint8Array>;
  }

  async issue(plane: SessionPlane, subject: string, extra: { role?: string } = {}): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const expiresAt = new Date((now + this.ttlSeconds) * 1000);
    const token = await new SignJWT({ ...(extra.role ? { role: extra.role } : {}) })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(audienceOf(plane))
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.keys[plane]);
    return { token, expiresAt };
  }

  async verify(plane: SessionPlane, token: string): Promise<SessionClaims> {
    // Refused before any key is touched: a caller typed around SessionPlane gets no verifier.
    if (!SESSION_PLANES.includes(plane)) throw new UnauthorizedError("token_invalid", `the ${String(plane)} plane issues no session tokens`);
    try {
      const { payload } = await jwtVerify(token, this.keys[plane], {
        algorithms: ["HS256"],
        issuer: TOKEN_ISSUER,
        audience: audienceOf(plane),
        currentDate: this.clock(),
      });
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number") throw new UnauthorizedError("token_invalid", "the token is not valid");
      return {
        plane,
        subject: payload.sub,
        ...(typeof payload.role === "string" ? { role: payload.role } : {}),
        expiresAt: new Date(payload.exp * 1000),
        claims: payload,
      };
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new UnauthorizedError("token_expired", "the token has expired");
      const other = claimedPlaneOf(token);
      if (other && other !== plane) {
        throw new UnauthorizedError("credential_wrong_plane", `this credential belongs to the ${other} plane, not the ${plane} plane`);
      }
      throw new UnauthorizedError("token_invalid", "the token is not valid");
    }
  }
}

/** The plane a token claims to belong to (unverified; only to explain a refusal). */
export function claimedPlaneOf(token: string): Plane | null {
  try {
    const aud = decodeJwt(token).aud;
    const value = Array.isArray(aud) ? aud[0] : aud;
    const plane = typeof value === "string" && value.startsWith("assay:") ? value.slice("assay:".length) : null;
    return PLANES.includes(plane as Plane) ? (plane as Plane) : null;
  } catch {
    return null;
  }
}
