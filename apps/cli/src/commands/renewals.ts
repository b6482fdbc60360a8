// Certificate renewal on the CLI (docs/decisions/0020):
//   `assay auto-renew [on|off] [--json]` shows or sets the per-developer
//   opt-in (off by default: nothing is re-audited or charged without it);
//   `assay renewals [--certificate <id>] [--json]` lists renewal attempts,
//   newest first, with the reason of each declined or failed one.
import type { AutoRenewSetting, CertificateRenewalView } from "@assay/protocol";
import { z } from "zod";
import { parseCertificateOrSubmissionId } from "../certificates/ids";
import { ExitCode, UsageError } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { apiContext } from "./api-context";

const AutoRenewInput = z.object({ state: z.enum(["on", "off"], { message: "expected on or off" }).optional(), json: JsonFlag });
const RenewalsInput = z.object({ certificate: z.string().min(1).optional(), json: JsonFlag });

export async function autoRenewCommand(state: string | undefined, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(AutoRenewInput, { state, ...rawOptions }, { state: "[on|off]" });
  const { api } = await apiContext(env);
  const setting = input.state === undefined ? await api.autoRenew() : await api.setAutoRenew(input.state === "on");
  io.stdout(input.json ? `${JSON.stringify(setting, null, 2)}\n` : autoRenewText(setting));
  return ExitCode.Ok;
}

export function autoRenewText(setting: AutoRenewSetting): string {
  return setting.enabled
    ? `auto-renew is on: each certificate is re-audited (and charged at the catalogue price) ${setting.windowDays} days before it expires, and when its suite version changes\n`
    : `auto-renew is off: certificates are not re-audited or charged; they expire at their validUntil (assay auto-renew on to opt in)\n`;
}

export async function renewalsCommand(rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(RenewalsInput, rawOptions, { certificate: "--certificate" });
  let certificateId: string | undefined;
  if (input.certificate !== undefined) {
    const parsed = parseCertificateOrSubmissionId(input.certificate);
    if (parsed.kind !== "certificate") throw new UsageError(`--certificate: expected a certificate id (0x + 64 hex digits), not a submission id`);
    certificateId = parsed.id;
  }
  const { api } = await apiContext(env);
  const list = await api.renewals(certificateId);
  io.stdout(input.json ? `${JSON.stringify(list, null, 2)}\n` : renewalsText(list.items));
  return ExitCode.Ok;
}

export function renewalsText(items: CertificateRenewalView[]): string {
  if (items.length === 0) return "no renewal attempts\n";
  return items
    .map((r) => {
      const head = `${r.createdAt}  ${r.certificateId}  ${r.status}  (${r.trigger}, under ${r.targetVersion})`;
      const detail =
        r.status === "renewed"
          ? `    superseded by ${r.newCertificateId}`
          : r.status === "auditing"
            ? `    re-audit: submission ${r.submissionId}`
            : `    why: ${r.reason?.code ?? "unknown"}${r.reason?.message ? ` — ${r.reason.message}` : ""}${r.submissionId ? ` (submission ${r.submissionId})` : ""}`;
      return `${head}\n${detail}\n`;
    })
    .join("");
}
