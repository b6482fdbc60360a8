// Built-in fallback for the trusted issuer ids when the discovery document names
// none: VITE_ASSAY_TRUSTED_ISSUERS at build time, else the platform's default
// issuer id (ASSAY_ISSUER_ID defaults to "assay-dev").
export const DEFAULT_TRUSTED_ISSUERS: string[] = (import.meta.env.VITE_ASSAY_TRUSTED_ISSUERS ?? "assay-dev")
  .split(",")
  .map((s: string) => s.trim())
  .filter((s: string) => s !== "");
