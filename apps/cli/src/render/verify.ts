// The human-readable verify result: the verdict, then every check on its own
// line (SPEC §6), then the claims the certificate grants and withholds, then
// where the issuer's keys came from. Pure.
import type { Colors } from "picocolors/types";
import { claimsLines } from "../certificates/claims-view";
import type { VerifyOutcome } from "../certificates/verify-locally";
import { renderTable } from "./table";

export function renderVerifyResult(outcome: VerifyOutcome, colors: Colors): string {
  const verdict = outcome.valid ? colors.bold(colors.green("VALID")) : colors.bold(colors.red("INVALID"));
  const failed = outcome.checks.filter((c) => !c.ok).map((c) => c.name);
  const lines = [
    `${verdict}${failed.length > 0 ? `  failed: ${failed.join(", ")}` : ""}`,
    ...renderTable(
      ["CHECK", "OK", "DETAIL"],
      outcome.checks.map((c) => [c.name, c.ok ? colors.green("yes") : colors.red("no"), c.detail]),
    ),
    ...(outcome.claims ? claimsLines(outcome.claims).map((line) => `  ${line}`) : []),
    colors.dim(`  issuer ${outcome.keys.issuer}; keys ${outcome.keys.source === "network" ? "fetched now" : `from the cache (fetched ${outcome.keys.fetchedAt})`}`),
  ];
  return `${lines.join("\n")}\n`;
}
