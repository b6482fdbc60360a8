// GET /v1/developer/submissions/:id/events — server-sent events for
// `assay status --watch` and the portal: one `submission` event with the full
// view whenever it changes (status, progress with per-turn DI, outcome,
// certificate id), a comment heartbeat, and the stream ends after a final
// status. Errors before the stream opens are ordinary JSON errors.
import { Controller, Get, Param, Req, Res, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from "@nestjs/swagger";
import type { Request, Response } from "express";
import type { SubmissionView } from "@assay/platform";
import { DeveloperGuard } from "../../auth/plane-guards";
import { DEVELOPER_SESSION_SCHEME } from "../../auth/developer-session";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { SubmissionIdParams } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { ZodPipe } from "../../http/zod-pipe";
import { z } from "zod";
import { Returns } from "../../http/contract";

const HEARTBEAT_MS = 15_000;

@ApiTags("developer")
@ApiBearerAuth()
@ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
@Controller("v1/developer/submissions")
@UseGuards(DeveloperGuard)
export class SubmissionEventsController {
  constructor(@UsesServices("submissions") private readonly platform: Services<"submissions">) {}

  @Get(":id/events")
  @ApiProduces("text/event-stream")
  @ApiOperation({ summary: "Server-sent events: the submission's view each time it changes; ends after a final status" })
  @Returns(z.string().describe("`event: submission` messages, each `data:` a SubmissionView; `event: error` with an ApiError body if the stream fails (SubmissionStreamEventSchema)"), { contentType: "text/event-stream" })
  async events(
    @CurrentPrincipal() who: PrincipalOf<"developer">,
    @Param(new ZodPipe(SubmissionIdParams)) params: { id: string },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // Unknown or foreign ids fail here, as JSON, before any event is sent.
    await this.platform.submissions.getForDeveloper(who.developerId, params.id);
    const abort = new AbortController();
    req.on("close", () => abort.abort());
    res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    res.flushHeaders();
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
    try {
      let sequence = 0;
      for await (const view of this.platform.submissions.watchForDeveloper(who.developerId, params.id, { signal: abort.signal })) {
        res.write(formatEvent("submission", ++sequence, view));
      }
    } catch (err) {
      if (!abort.signal.aborted) res.write(formatEvent("error", 0, { error: { code: "stream_failed", message: (err as Error).message } }));
    } finally {
      clearInterval(heartbeat);
      res.end();
    }
  }
}

export function formatEvent(name: string, id: number, data: SubmissionView | Record<string, unknown>): string {
  return `event: ${name}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}
