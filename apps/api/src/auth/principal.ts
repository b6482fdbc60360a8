// Who is calling, per plane, as the guards establish it.
import { createParamDecorator, type ExecutionContext } from "@nestjs/common";
import type { OperatorRole, Plane } from "@assay/platform";

export type Principal =
  | { plane: "public" }
  | { plane: "developer"; developerId: string; via: "api_key"; apiKeyId: string }
  /** The portal's cookie session (docs/decisions/0029). */
  | { plane: "developer"; developerId: string; via: "session"; sessionId: string; csrfToken: string; expiresAt: Date }
  | { plane: "agent"; validatorId: string }
  | { plane: "operator"; operatorId: string; role: OperatorRole };

export type PrincipalOf<P extends Plane> = Extract<Principal, { plane: P }>;

export type RequestWithPrincipal = { principal?: Principal; method?: string; headers: Record<string, string | string[] | undefined> };

/** The principal the plane guard attached to the request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
});
