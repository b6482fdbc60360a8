// `assay credits [--json]`: the developer's credits; `assay credits redeem
// <code> [--json]`: redeem a voucher (docs/money.md).
import { RedeemVoucherBodySchema } from "@assay/protocol";
import { z } from "zod";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { apiContext } from "./api-context";

const CreditsInput = z.object({ json: JsonFlag });
const RedeemInput = z.object({ code: RedeemVoucherBodySchema.shape.code, json: JsonFlag });

export async function creditsCommand(rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(CreditsInput, rawOptions);
  const { api } = await apiContext(env);
  const balance = await api.credits();
  if (input.json) io.stdout(`${JSON.stringify(balance, null, 2)}\n`);
  else io.stdout(`${balance.available} ${balance.currency} available, ${balance.held} held by submissions in flight\n`);
  return ExitCode.Ok;
}

export async function redeemCommand(code: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(RedeemInput, { code, ...rawOptions }, { code: "<code>" });
  const { api } = await apiContext(env);
  const redeemed = await api.redeemVoucher(input.code);
  if (input.json) io.stdout(`${JSON.stringify(redeemed, null, 2)}\n`);
  else io.stdout(`credited ${redeemed.credited} ${redeemed.balance.currency}; ${redeemed.balance.available} available\n`);
  return ExitCode.Ok;
}
