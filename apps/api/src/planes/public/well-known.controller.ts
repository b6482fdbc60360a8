import { Controller, Get, Header, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { suiteIds } from "@assay/audit/suites";
import { CERTIFICATE_FORMATS } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { UsesServices, type Services } from "../../http/platform-services";
import { JwksSchema, DiscoverySchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

/**
 * The chain part of discovery: chain id (asked of the RPC endpoint; null while it
 * cannot be reached), the registry addresses, the RPC URL verifiers may use and
 * the block from which the registry's events exist.
 */
export async function chainDiscovery(platform: Services<"chain" | "config">) {
  const { chain, config } = platform;
  if (!chain || !config.chain.addresses) return null;
  let chainId: number | null = null;
  try {
    chainId = await chain.chainId();
  } catch {
    chainId = null;
  }
  return {
    chainId,
    registry: config.chain.addresses.certificateRegistry,
    validatorRegistry: config.chain.addresses.validatorRegistry,
    treasury: config.chain.addresses.treasury,
    rpcUrl: config.chain.rpcUrl,
    deployedAtBlock: config.chain.deployedAtBlock,
    merkleLeafEncoding: ["bytes32"],
  };
}

@ApiTags("public")
@Controller(".well-known")
@UseGuards(PublicGuard, RateLimitGuard)
export class WellKnownController {
  constructor(@UsesServices("chain", "config", "signingKeys") private readonly platform: Services<"chain" | "config" | "signingKeys">) {}

  @Get("jwks.json")
  @Header("Cache-Control", "public, max-age=60")
  @ApiOperation({ summary: "Certificate-signing keys (active and retired) as a JWKS" })
  @Returns(JwksSchema)
  jwks() {
    return this.platform.signingKeys.jwks();
  }

  @Get("assay.json")
  @Header("Cache-Control", "public, max-age=60")
  @ApiOperation({ summary: "Discovery: API base, JWKS, chain, supported suites" })
  @Returns(DiscoverySchema)
  async discovery() {
    const base = this.platform.config.api.publicUrl;
    const chain = await chainDiscovery(this.platform);
    return {
      issuer: this.platform.config.certificates.issuerId,
      apiBase: `${base}/v1`,
      jwksUri: `${base}/.well-known/jwks.json`,
      verifyUrl: `${base}/v1/public/verify`,
      certificateUrlTemplate: `${base}/v1/public/certificates/{id}`,
      docsUrl: `${base}/docs`,
      // Issued: the first (v2); every listed format verifies.
      certificateFormats: [...CERTIFICATE_FORMATS],
      signatureAlgorithms: ["EdDSA"],
      // The registry verifiers read anchors from (docs/decisions/0010); null when this deployment does not anchor.
      chain,
      chainId: chain?.chainId ?? null,
      registry: chain?.registry ?? null,
      supportedSuites: suiteIds(),
    };
  }
}
