// The API contract, read from the controllers themselves: every route of a
// plane with the zod schemas its pipes parse (path parameters, query, body),
// the zod schema of its success response (@Returns) and the error statuses it
// can answer. openapi.ts builds the documents from it and the contract tests
// validate live responses and fuzz requests with it, so a new route is
// documented, linted and fuzzed without anyone listing it.
import { HttpStatus, RequestMethod, SetMetadata } from "@nestjs/common";
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from "@nestjs/common/constants";
import { RouteParamtypes } from "@nestjs/common/enums/route-paramtypes.enum";
import type { Plane } from "@assay/platform";
import type { z } from "zod";
import { AgentRateLimitGuard } from "../auth/agent-rate-limit.guard";
import { AgentGuard, DeveloperGuard, OperatorGuard, ROLES_KEY } from "../auth/plane-guards";
import { RateLimitGuard } from "../auth/rate-limit.guard";
import { ZodPipe } from "./zod-pipe";

const RETURNS_KEY = "assay:returns";

export type ReturnsOptions = {
  /** Success status; default: @HttpCode, else 201 for POST and 200 otherwise. */
  status?: number;
  /** Error statuses this route answers beyond the ones derived from its shape (see errorStatusesOf). */
  errors?: readonly number[];
  /** Default application/json. */
  contentType?: string;
  description?: string;
  /**
   * Error statuses whose body is not an ApiError but this content type (the
   * badge's 404 is an "unknown" SVG badge); documented and checked as such.
   */
  errorContent?: Readonly<Record<number, string>>;
  /** The route sends an ETag and answers a matching If-None-Match with 304 (documented). */
  conditional?: boolean;
};

type ReturnsSpec = ReturnsOptions & { schema: z.ZodType | null };

/**
 * The success response of a route: `schema` is the zod schema of its body (null:
 * no body, e.g. 204). Required on every route; the contract test fails without it.
 */
export const Returns = (schema: z.ZodType | null, options: ReturnsOptions = {}) => SetMetadata(RETURNS_KEY, { ...options, schema } satisfies ReturnsSpec);

export type HttpMethod = "get" | "post" | "put" | "delete" | "patch";

export type RouteContract = {
  plane: Plane;
  method: HttpMethod;
  /** OpenAPI form: /v1/agent/assemblies/{id}/beacon */
  path: string;
  controller: string;
  handler: string;
  params: z.ZodType | null;
  query: z.ZodType | null;
  body: z.ZodType | null;
  /** null when the route has no @Returns (a contract error the tests report). */
  success: { status: number; schema: z.ZodType | null; contentType: string; description: string } | null;
  errors: number[];
  /** Error statuses answered with another content type than ApiError JSON (see ReturnsOptions.errorContent). */
  errorContent: Readonly<Record<number, string>>;
  /** Answers 304 to a matching If-None-Match. */
  conditional: boolean;
  roles: readonly string[] | null;
  rateLimited: boolean;
  /** Behind a plane guard that demands a credential (the public routes, activation and login are not). */
  authenticated: boolean;
};

const METHODS: Partial<Record<RequestMethod, HttpMethod>> = {
  [RequestMethod.GET]: "get",
  [RequestMethod.POST]: "post",
  [RequestMethod.PUT]: "put",
  [RequestMethod.DELETE]: "delete",
  [RequestMethod.PATCH]: "patch",
};

type Constructor = abstract new (...args: never[]) => unknown;
type ArgMetadata = { index: number; data?: unknown; pipes?: unknown[] };

/** Every route of a plane module, in declaration order. */
export function routesOf(plane: Plane, module: Constructor): RouteContract[] {
  const controllers = (Reflect.getMetadata("controllers", module) ?? []) as Constructor[];
  const routes: RouteContract[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? "");
    const proto = controller.prototype as Record<string, unknown>;
    for (const handler of Object.getOwnPropertyNames(proto)) {
      const fn = proto[handler];
      if (handler === "constructor" || typeof fn !== "function") continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const subPath = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (requestMethod === undefined || subPath === undefined) continue;
      const method = METHODS[requestMethod];
      if (!method) throw new Error(`${controller.name}.${handler}: unsupported HTTP method ${requestMethod}`);
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, ArgMetadata>;
      const schemaOf = (type: RouteParamtypes) => zodSchemaOfArg(args, type);
      const guards = [...((Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[]), ...((Reflect.getMetadata(GUARDS_METADATA, fn) ?? []) as unknown[])];
      const roles = (Reflect.getMetadata(ROLES_KEY, fn) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? null) as readonly string[] | null;
      const returns = Reflect.getMetadata(RETURNS_KEY, fn) as ReturnsSpec | undefined;
      const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined;
      const route: RouteContract = {
        plane,
        method,
        path: openApiPath(base, Array.isArray(subPath) ? subPath[0]! : subPath),
        controller: controller.name,
        handler,
        params: schemaOf(RouteParamtypes.PARAM),
        query: schemaOf(RouteParamtypes.QUERY),
        body: schemaOf(RouteParamtypes.BODY),
        success: returns
          ? {
              status: returns.status ?? httpCode ?? (method === "post" ? HttpStatus.CREATED : HttpStatus.OK),
              schema: returns.schema,
              contentType: returns.contentType ?? "application/json",
              description: returns.description ?? "Success",
            }
          : null,
        errors: [],
        errorContent: returns?.errorContent ?? {},
        conditional: returns?.conditional ?? false,
        roles,
        rateLimited: guards.some((g) => g === RateLimitGuard || g === AgentRateLimitGuard),
        authenticated: guards.some((g) => g === DeveloperGuard || g === AgentGuard || g === OperatorGuard),
      };
      route.errors = errorStatusesOf(route, returns?.errors ?? []);
      routes.push(route);
    }
  }
  return routes;
}

/**
 * The error statuses a route can answer, derived from its shape: 400 when it
 * parses input, 401 always (wrong or missing credential; the public plane refuses
 * any credential), 403 with roles, 404 with path parameters, 413 with a body,
 * 429 when rate-limited, 500 and 503 (a dependency down) always; plus `extra`.
 */
function errorStatusesOf(route: RouteContract, extra: readonly number[]): number[] {
  const statuses = new Set<number>([401, 500, 503, ...extra]);
  if (route.params || route.query || route.body) statuses.add(400);
  if (route.roles && route.roles.length > 0) statuses.add(403);
  if (route.params) statuses.add(404);
  if (route.body) statuses.add(413);
  if (route.rateLimited) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

function zodSchemaOfArg(args: Record<string, ArgMetadata>, type: RouteParamtypes): z.ZodType | null {
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(":")[0]) !== type) continue;
    const pipe = (arg.pipes ?? []).find((p): p is ZodPipe<z.ZodType> => p instanceof ZodPipe);
    if (pipe) return pipe.schema;
  }
  return null;
}

function openApiPath(base: string, sub: string): string {
  const joined = `/${[base, sub].map((p) => p.replace(/^\/+|\/+$/g, "")).filter((p) => p !== "").join("/")}`;
  return joined.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}
