// One OpenAPI document per plane (each lists only its own module's routes), each
// at /docs/<plane>-json with its own UI at /docs/<plane>; /docs is one UI with a
// selector over all four.
//
// @nestjs/swagger supplies the skeleton (paths, summaries, tags, security); the
// contract (http/contract.ts: the zod schemas the pipes parse and @Returns)
// supplies everything typed: path and query parameters, request bodies, the
// success response and the documented errors, all with the one error shape
// (ApiErrorSchema). Nothing here is a hand-written copy of a schema.
import { DEVELOPER_SESSION_COOKIE, DEVELOPER_SESSION_SCHEME } from "./auth/developer-session";
import type { INestApplication } from "@nestjs/common";
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from "@nestjs/swagger";
import type { Plane } from "@assay/platform";
import { ApiErrorSchema } from "@assay/protocol";
import type { z } from "zod";
import { PLANE_MODULES } from "./app.module";
import { routesOf, type RouteContract } from "./http/contract";
import { jsonSchemaOf } from "./http/zod-pipe";

const DESCRIPTIONS: Record<Plane, string> = {
  public: "No credentials (sending one is refused with 401 credential_wrong_plane); rate-limited. Certificate lookup and verification, transparency log, discovery, health.",
  developer: "Authorization: Bearer <API key `ak_…`> (CLI, scripts), or the portal's session cookie from /v1/developer/auth/sign-in (HttpOnly; state-changing requests with it also send X-CSRF-Token; docs/decisions/0029). Accounts, submissions, reports, certificates, keys, credits, usage.",
  agent: "Authorization: Bearer <agent session token> (audience assay:agent). Validator activation, assignments, evidence, votes, draw beacon.",
  operator: "Authorization: Bearer <operator session token from POST /v1/operator/auth/login> (audience assay:operator).",
};

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: "The request does not match the expected shape (malformed JSON, path, query or body); `details` lists the issues",
  401: "Missing, malformed, unknown or wrong-plane credential (or, on login, invalid credentials)",
  402: "Not enough credits",
  403: "The credential is valid but not allowed to do this (role, seat)",
  404: "No such resource (or not yours)",
  409: "Conflicts with the resource's current state",
  413: "The request body exceeds the size cap",
  415: "Unsupported content encoding or charset",
  429: "Rate-limited; retry after the Retry-After seconds",
  500: "Internal error (no internals in the body)",
  503: "A dependency (database, queue, chain) is unavailable; retry later",
};

export const PLANES = Object.keys(PLANE_MODULES) as Plane[];

/** Every route of every plane (the contract the documents and tests are built from). */
export function contractRoutes(): RouteContract[] {
  return PLANES.flatMap((plane) => routesOf(plane, PLANE_MODULES[plane]));
}

export function buildOpenApiDocuments(app: INestApplication): Record<Plane, OpenAPIObject> {
  const documents = {} as Record<Plane, OpenAPIObject>;
  for (const plane of PLANES) {
    const builder = new DocumentBuilder()
      .setTitle(`Assay ${plane} API`)
      .setDescription(DESCRIPTIONS[plane])
      .setVersion("1")
      .setLicense("Proprietary", "https://assay.invalid/license")
      .addServer("/", "This server");
    if (plane !== "public") builder.addBearerAuth();
    if (plane === "developer") {
      builder.addCookieAuth(
        DEVELOPER_SESSION_COOKIE,
        { type: "apiKey", in: "cookie", name: DEVELOPER_SESSION_COOKIE, description: "The portal's session (sign-in); state-changing requests with it must also send X-CSRF-Token (docs/decisions/0029)" },
        DEVELOPER_SESSION_SCHEME,
      );
    }
    const document = SwaggerModule.createDocument(app, builder.build(), { include: [PLANE_MODULES[plane]] });
    documents[plane] = completeDocument(document, routesOf(plane, PLANE_MODULES[plane]));
  }
  return documents;
}

export function setupOpenApi(app: INestApplication): Record<Plane, OpenAPIObject> {
  const documents = buildOpenApiDocuments(app);
  for (const plane of PLANES) SwaggerModule.setup(`docs/${plane}`, app, documents[plane]);
  SwaggerModule.setup("docs", app, documents.public, {
    explorer: true,
    swaggerOptions: { urls: PLANES.map((plane) => ({ url: `/docs/${plane}-json`, name: plane })) },
  });
  return documents;
}

type Json = Record<string, unknown>;

/** Replaces each operation's parameters, body and responses with the contract's. */
function completeDocument(document: OpenAPIObject, routes: RouteContract[]): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {}) as Json;
  const hoist = (schema: z.ZodType, io: "input" | "output", name: string) => hoistDefinitions(jsonSchemaOf(schema, io), schemas, name);
  schemas.ApiError = hoist(ApiErrorSchema, "output", "ApiError");
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/ApiError" } } };
  for (const route of routes) {
    const operation = (document.paths[route.path] as Json | undefined)?.[route.method] as Json | undefined;
    if (!operation) throw new Error(`contract route ${route.method.toUpperCase()} ${route.path} is missing from the ${route.plane} document`);
    const name = `${route.controller}_${route.handler}`;
    operation.operationId = name;
    // No credential: say so explicitly (an empty requirement), so "unauthenticated" is a statement, not an omission.
    if (!route.authenticated) operation.security = [];
    operation.parameters = [...parametersOf(route.params, "path", hoist, name), ...parametersOf(route.query, "query", hoist, name)];
    if (route.body) operation.requestBody = { required: true, content: { "application/json": { schema: hoist(route.body, "input", `${name}_body`) } } };
    else delete operation.requestBody;
    const responses: Json = {};
    if (route.success) {
      const { status, schema, contentType, description } = route.success;
      responses[String(status)] = schema ? { description, content: { [contentType]: { schema: hoist(schema, "output", `${name}_response`) } } } : { description };
    }
    if (route.conditional) responses["304"] = { description: "Not modified: If-None-Match matched the current ETag (no body)" };
    for (const status of route.errors) {
      const other = route.errorContent[status];
      responses[String(status)] = other
        ? { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: { [other]: { schema: { type: "string", description: `A ${other} body, not an ApiError` } } } }
        : { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: errorContent };
    }
    operation.responses = responses;
  }
  return document;
}

function parametersOf(schema: z.ZodType | null, where: "path" | "query", hoist: (s: z.ZodType, io: "input", name: string) => Json, name: string): Json[] {
  if (!schema) return [];
  const json = hoist(schema, "input", `${name}_${where}`);
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([key, property]) => ({
    name: key,
    in: where,
    required: where === "path" || required.has(key),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

/** Moves zod's local definitions ($defs / definitions, e.g. of recursive schemas) into components.schemas. */
function hoistDefinitions(json: Json, schemas: Json, prefix: string): Json {
  const defs = { ...((json.$defs ?? {}) as Json), ...((json.definitions ?? {}) as Json) };
  delete json.$defs;
  delete json.definitions;
  if (Object.keys(defs).length === 0) return json;
  const rename = (key: string) => `${prefix}_${key.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== "object") return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") {
        const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(v);
        out[k] = m ? `#/components/schemas/${rename(decodeURIComponent(m[1]!))}` : v === "#" ? `#/components/schemas/${prefix}` : v;
      } else out[k] = rewrite(v);
    }
    return out;
  };
  for (const [key, def] of Object.entries(defs)) schemas[rename(key)] = rewrite(def);
  const rewritten = rewrite(json) as Json;
  // A self-reference ("#") needs the root under the prefix too.
  if (JSON.stringify(rewritten).includes(`"#/components/schemas/${prefix}"`)) schemas[prefix] = rewritten;
  return rewritten;
}
