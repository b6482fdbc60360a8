import { Controller, Get, Header, Inject, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { suiteIds } from "@assay/audit/src/suites/registry";
import { CERTIFICATE_FORMAT } from "@assay/protocol";
import type { Platform } from "@assay/platform";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { PLATFORM } from "../../http/tokens";

@ApiTags("public")
@Controller(".well-known")
@UseGuards(PublicGuard, RateLimitGuard)
export class WellKnownController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get("jwks.json")
  @Header("Cache-Control", "public, max-age=60")
  @ApiOperation({ summary: "Certificate-signing keys (active and retired) as a JWKS" })
  jwks() {
    return this.platform.signingKeys.jwks();
  }

  @Get("assay.json")
  @Header("Cache-Control", "public, max-age=60")
  @ApiOperation({ summary: "Discovery: API base, JWKS, chain, supported suites" })
  discovery() {
    const base = this.platform.config.api.publicUrl;
    return {
      issuer: this.platform.config.certificates.issuerId,
      apiBase: `${base}/v1`,
      jwksUri: `${base}/.well-known/jwks.json`,
      verifyUrl: `${base}/v1/public/verify`,
      certificateUrlTemplate: `${base}/v1/public/certificates/{id}`,
      docsUrl: `${base}/docs`,
      certificateFormats: [CERTIFICATE_FORMAT],
      signatureAlgorithms: ["EdDSA"],
      // Set once the chain integration exists and the flag is on.
      chain: this.platform.config.flags.chainEnabled ? { chainId: null, registry: null } : null,
      chainId: null,
      registry: null,
      supportedSuites: suiteIds(),
    };
  }
}
