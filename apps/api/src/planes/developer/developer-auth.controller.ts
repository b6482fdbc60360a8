// Developer portal sign-up, sign-in, session and sign-out (docs/decisions/0029).
// Sign-up and sign-in take no credential and are rate-limited per client; both
// answer the session view (with its CSRF token) and set the HttpOnly session
// cookie. The cookie's token is never in a body.
import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { Request, Response } from "express";
import type { IssuedDeveloperSession } from "@assay/platform";
import { DeveloperSessionSchema, DeveloperSignInBody, DeveloperSignUpBody, type DeveloperSession } from "@assay/protocol";
import { DeveloperGuard } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { DEVELOPER_AUTH_RATE_LIMITER, RateLimitGuard, UseRateLimiter } from "../../auth/rate-limit.guard";
import { clearSessionCookie, DEVELOPER_SESSION_SCHEME, setSessionCookie } from "../../auth/developer-session";
import { Returns } from "../../http/contract";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("developer")
@Controller("v1/developer/auth")
export class DeveloperAuthController {
  constructor(@UsesServices("config", "developerAuth", "developers") private readonly platform: Services<"config" | "developerAuth" | "developers">) {}

  @Post("sign-up")
  // Why: bounds account creation and probing for taken emails per client.
  @UseGuards(RateLimitGuard)
  @UseRateLimiter(DEVELOPER_AUTH_RATE_LIMITER)
  @ApiOperation({ summary: "Create a developer account (email, name, password of 12+ characters) and sign in: sets the HttpOnly session cookie" })
  @ApiBody({ schema: jsonSchemaOf(DeveloperSignUpBody) })
  @Returns(DeveloperSessionSchema, { errors: [409] })
  async signUp(@Body(new ZodPipe(DeveloperSignUpBody)) body: DeveloperSignUpBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<DeveloperSession> {
    return this.started(await this.platform.developerAuth.signUp(body), req, res);
  }

  @Post("sign-in")
  @HttpCode(200)
  // Why: slows password guessing (per client; every failure is the same 401).
  @UseGuards(RateLimitGuard)
  @UseRateLimiter(DEVELOPER_AUTH_RATE_LIMITER)
  @ApiOperation({ summary: "Email + password → the session cookie (HttpOnly, SameSite=Strict) and the session's CSRF token" })
  @ApiBody({ schema: jsonSchemaOf(DeveloperSignInBody) })
  @Returns(DeveloperSessionSchema)
  async signIn(@Body(new ZodPipe(DeveloperSignInBody)) body: DeveloperSignInBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<DeveloperSession> {
    return this.started(await this.platform.developerAuth.signIn(body), req, res);
  }

  @Get("session")
  @UseGuards(DeveloperGuard)
  @ApiBearerAuth()
  @ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
  @ApiOperation({ summary: "Who is signed in and how; with the cookie, the CSRF token to send as X-CSRF-Token (a page reload reads it here)" })
  @Returns(DeveloperSessionSchema)
  async session(@CurrentPrincipal() who: PrincipalOf<"developer">): Promise<DeveloperSession> {
    const developer = await this.platform.developers.get(who.developerId);
    return who.via === "session"
      ? { developer, via: "session", csrfToken: who.csrfToken, expiresAt: who.expiresAt.toISOString() }
      : { developer, via: "api_key", csrfToken: null, expiresAt: null };
  }

  @Post("sign-out")
  @HttpCode(204)
  @UseGuards(DeveloperGuard)
  @ApiBearerAuth()
  @ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
  @ApiOperation({ summary: "End the cookie session (it stops working at once) and clear the cookie; with an API key, nothing to end" })
  @Returns(null, { description: "Signed out" })
  async signOut(@CurrentPrincipal() who: PrincipalOf<"developer">, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (who.via === "session") await this.platform.developerAuth.signOut(who.sessionId);
    clearSessionCookie(this.platform, req, res);
  }

  private started(session: IssuedDeveloperSession, req: Request, res: Response): DeveloperSession {
    setSessionCookie(this.platform, req, res, session.token, session.expiresAt);
    return { developer: session.developer, via: "session", csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  }
}
