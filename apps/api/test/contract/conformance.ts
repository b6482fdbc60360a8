// Whether one HTTP answer conforms to its route's contract: the status is the
// documented success or one of the documented errors; a success body parses
// with the route's response schema (an event stream: every event's data does);
// an error body is the one ApiError shape.
import { ApiErrorSchema, SubmissionStreamEventSchema } from "@assay/protocol";
import type { RouteContract } from "../../src/http/contract";

export type Answer = { status: number; body: unknown; headers: Headers };

export function conformanceProblems(route: RouteContract, answer: Answer): string[] {
  const where = `${route.method.toUpperCase()} ${route.path} → ${answer.status}`;
  const problems: string[] = [];
  if (answer.status >= 500 && answer.status !== 503) problems.push(`${where}: server error ${JSON.stringify(answer.body).slice(0, 300)}`);
  if (answer.status === 304) {
    if (!route.conditional) problems.push(`${where}: 304 from a route that does not document conditional requests`);
    if (!answer.headers.get("etag")) problems.push(`${where}: 304 without an ETag`);
    return problems;
  }
  if (answer.status >= 400) {
    if (!route.errors.includes(answer.status)) problems.push(`${where}: undocumented error status (documented: ${route.errors.join(", ")})`);
    const other = route.errorContent[answer.status];
    if (other) {
      // A documented non-JSON error (the badge's "unknown" SVG): that content type and a body of that kind.
      if (!(answer.headers.get("content-type") ?? "").startsWith(other)) problems.push(`${where}: error content type is not ${other}`);
      if (other === "image/svg+xml" && !/^<svg[\s>][\s\S]*<\/svg>$/.test(String(answer.body))) problems.push(`${where}: error body is not an SVG document`);
      return problems;
    }
    const parsed = ApiErrorSchema.safeParse(answer.body);
    if (!parsed.success) problems.push(`${where}: error body is not ApiError: ${JSON.stringify(answer.body).slice(0, 200)}`);
    return problems;
  }
  const success = route.success;
  if (!success) return [`${where}: route has no @Returns`];
  if (answer.status !== success.status) problems.push(`${where}: success status is documented as ${success.status}`);
  if (!success.schema) return problems;
  if (success.contentType === "text/event-stream") {
    for (const event of parseEvents(String(answer.body))) {
      const parsed = SubmissionStreamEventSchema.safeParse({ event: event.name, data: JSON.parse(event.data) });
      if (!parsed.success) problems.push(`${where}: event ${event.name} violates its schema: ${parsed.error.message.slice(0, 500)}`);
    }
    return problems;
  }
  if (success.contentType === "image/svg+xml") {
    if (!(answer.headers.get("content-type") ?? "").startsWith("image/svg+xml")) problems.push(`${where}: content type is not image/svg+xml`);
    if (!/^<svg[\s>][\s\S]*<\/svg>$/.test(String(answer.body))) problems.push(`${where}: body is not an SVG document`);
  }
  const parsed = success.schema.safeParse(answer.body);
  if (!parsed.success) problems.push(`${where}: body violates the response schema: ${parsed.error.message.slice(0, 800)}`);
  return problems;
}

export function parseEvents(text: string): { name: string; data: string }[] {
  return text
    .split("\n\n")
    .map((block) => block.split("\n"))
    .filter((lines) => lines.some((l) => l.startsWith("data: ")))
    .map((lines) => ({
      name: lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message",
      data: lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n"),
    }));
}
