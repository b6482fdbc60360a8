// One OpenAPI document per plane (each lists only its own module's routes), each
// at /docs/<plane>-json with its own UI at /docs/<plane>; /docs is one UI with a
// selector over all four.
import type { INestApplication } from "@nestjs/common";
import { DocumentBuilder, SwaggerModule } from "@nestjs/swagger";
import type { Plane } from "@assay/platform";
import { PLANE_MODULES } from "./app.module";

const DESCRIPTIONS: Record<Plane, string> = {
  public: "No credentials; rate-limited. Certificate lookup and verification, discovery, health.",
  developer: "Authorization: Bearer <API key `ak_…`> (the only developer credential). Submissions, reports, certificates, keys, usage.",
  agent: "Authorization: Bearer <agent session token> (audience assay:agent). Validator assignments and votes.",
  operator: "Authorization: Bearer <operator session token from POST /v1/operator/auth/login> (audience assay:operator).",
};

export function setupOpenApi(app: INestApplication): Record<Plane, unknown> {
  const documents = {} as Record<Plane, unknown>;
  for (const plane of Object.keys(PLANE_MODULES) as Plane[]) {
    const builder = new DocumentBuilder().setTitle(`Assay ${plane} API`).setDescription(DESCRIPTIONS[plane]).setVersion("1");
    if (plane !== "public") builder.addBearerAuth();
    const document = SwaggerModule.createDocument(app, builder.build(), { include: [PLANE_MODULES[plane]] });
    documents[plane] = document;
    SwaggerModule.setup(`docs/${plane}`, app, document);
  }
  SwaggerModule.setup("docs", app, documents.public as never, {
    explorer: true,
    swaggerOptions: { urls: (Object.keys(PLANE_MODULES) as Plane[]).map((plane) => ({ url: `/docs/${plane}-json`, name: plane })) },
  });
  return documents;
}
