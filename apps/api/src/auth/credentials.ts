// Reading a credential from a request and deciding, per plane, whether it is one
// of this plane's. Each plane accepts exactly the one family of credentials it
// issues; anything else is refused with 401 (docs/decisions/0006, 0013):
//   public    — none (a credential sent here is a mistake and is refused)
//   developer — an API key `ak_…` (nothing issues developer session tokens, so none is accepted)
//   agent     — a session JWT with audience assay:agent, for a validator in good standing
//   operator  — a session JWT with audience assay:operator, for an enabled operator
import { claimedPlaneOf, UnauthorizedError, looksLikeApiKey, type Platform, type Plane } from "@assay/platform";
import type { Principal } from "./principal";

/** What authenticating a credential needs of the platform, and nothing more. */
export type Authenticators = Pick<Platform, "apiKeys" | "developerAuth" | "tokens" | "validators" | "operators">;

export function bearerOf(headers: Record<string, string | string[] | undefined>): string | null {
  const header = headers.authorization;
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] ?? "" : header;
  const match = /^Bearer ([^\s]+)$/i.exec(value.trim());
  if (!match) throw new UnauthorizedError("credential_malformed", "expected `Authorization: Bearer <credential>`");
  return match[1]!;
}

export async function authenticate(platform: Authenticators, plane: Plane, credential: string | null): Promise<Principal> {
  if (plane === "public") {
    if (credential !== null) {
      throw new UnauthorizedError("credential_wrong_plane", "the public plane takes no credentials; send none");
    }
    return { plane: "public" };
  }
  if (credential === null) throw new UnauthorizedError("credential_missing", `the ${plane} plane needs a credential`);
  if (looksLikeApiKey(credential)) {
    if (plane !== "developer") throw new UnauthorizedError("credential_wrong_plane", `an API key is a developer credential, not a ${plane} one`);
    const key = await platform.apiKeys.authenticate(credential);
    return { plane: "developer", developerId: key.developerId, via: "api_key", apiKeyId: key.apiKeyId };
  }
  if (plane === "developer") {
    const claimed = claimedPlaneOf(credential);
    if (claimed !== null && claimed !== "developer") {
      throw new UnauthorizedError("credential_wrong_plane", `this credential belongs to the ${claimed} plane, not the developer plane`);
    }
    throw new UnauthorizedError("token_invalid", "the developer plane takes API keys only (ak_…)");
  }
  const session = await platform.tokens.verify(plane, credential);
  switch (plane) {
    case "agent": {
      // The validator is re-read on every request: a suspended one loses its sessions.
      const standing = await platform.validators.standingOf(session.subject);
      if (standing === null || standing === "suspended") throw new UnauthorizedError("token_invalid", "the token's validator does not exist or is suspended");
      return { plane, validatorId: session.subject };
    }
    case "operator": {
      // The account is re-read on every request: disabling an operator ends their sessions.
      const operator = await platform.operators.get(session.subject).catch(() => {
        throw new UnauthorizedError("token_invalid", "the token's operator does not exist or is disabled");
      });
      return { plane, operatorId: operator.id, role: operator.role };
    }
  }
}
