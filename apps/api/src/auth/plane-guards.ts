// One guard per plane. Each establishes the request's principal or refuses.
import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { ForbiddenError, type OperatorRole, type Plane } from "@assay/platform";
import { UsesServices } from "../http/platform-services";
import { authenticate, bearerOf, type Authenticators } from "./credentials";
import { authenticateDeveloperSession, sessionCookieOf } from "./developer-session";
import type { RequestWithPrincipal } from "./principal";

/** The services that establish a principal from a credential (API keys, developer portal sessions, validator and operator tokens). */
const AUTHENTICATORS = ["apiKeys", "developerAuth", "tokens", "validators", "operators"] as const;

abstract class PlaneGuard implements CanActivate {
  protected abstract readonly plane: Plane;

  constructor(@UsesServices(...AUTHENTICATORS) protected readonly platform: Authenticators) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    request.principal = await authenticate(this.platform, this.plane, bearerOf(request.headers));
    return true;
  }
}

@Injectable()
export class PublicGuard extends PlaneGuard {
  protected readonly plane = "public";
}

/**
 * API keys (`Authorization: Bearer ak_…`, the CLI) or the portal's session cookie
 * (docs/decisions/0029). A bearer header wins when both are sent; a request
 * authenticated by the cookie alone that changes state must carry the session's
 * CSRF token in `X-CSRF-Token`.
 */
@Injectable()
export class DeveloperGuard extends PlaneGuard {
  protected readonly plane = "developer";

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const bearer = bearerOf(request.headers);
    const cookie = bearer === null ? sessionCookieOf(request.headers) : null;
    request.principal = cookie === null ? await authenticate(this.platform, "developer", bearer) : await authenticateDeveloperSession(this.platform, request, cookie);
    return true;
  }
}

@Injectable()
export class AgentGuard extends PlaneGuard {
  protected readonly plane = "agent";
}

export const ROLES_KEY = "assay:operator-roles";
/** Restricts an operator route to these roles (default: any operator). */
export const Roles = (...roles: OperatorRole[]) => SetMetadata(ROLES_KEY, roles);

@Injectable()
export class OperatorGuard extends PlaneGuard {
  protected readonly plane = "operator";

  constructor(@UsesServices(...AUTHENTICATORS) platform: Authenticators, @Inject(Reflector) private readonly reflector: Reflector) {
    super(platform);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (roles && principal?.plane === "operator" && !roles.includes(principal.role)) {
      throw new ForbiddenError("role_forbidden", `this action needs one of the roles: ${roles.join(", ")}`);
    }
    return true;
  }
}
