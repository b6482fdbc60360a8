// One guard per plane. Each establishes the request's principal or refuses.
import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { ForbiddenError, type OperatorRole, type Plane } from "@assay/platform";
import { UsesServices } from "../http/platform-services";
import { authenticate, bearerOf, type Authenticators } from "./credentials";
import type { RequestWithPrincipal } from "./principal";

/** The services that establish a principal from a credential (API keys, session tokens, validator and operator tokens). */
const AUTHENTICATORS = ["apiKeys", "tokens", "validators", "operators"] as const;

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

@Injectable()
export class DeveloperGuard extends PlaneGuard {
  protected readonly plane = "developer";
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
