// `assay credits [--json]`: the developer's credits; `assay credits redeem
// <code> [--json]`: redeem a voucher; `assay credits deposit --amount N`: an
// on-chain deposit to the Treasury (docs/money.md).
import { readFile } from "node:fs/promises";
import { connectChain, depositFee, requireSigner, withAddresses } from "@assay/chain";
import { DepositClaimBodySchema, RedeemVoucherBodySchema } from "@assay/protocol";
import { z } from "zod";
import { DepositError, ExitCode, UsageError } from "../errors";
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

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;
const DepositInput = z
  .object({
    amount: z
      .string()
      .regex(/^[1-9][0-9]{0,12}$/, "must be a whole number of credits (at least 1)")
      .transform(BigInt)
      .optional(),
    tx: DepositClaimBodySchema.shape.txHash.optional(),
    keyFile: z.string().min(1).optional(),
    rpcUrl: z.string().url().optional(),
    wait: z.boolean().default(true),
    timeout: z.string().regex(/^[1-9][0-9]{0,5}$/, "seconds (a whole number)").transform(Number).default(120),
    json: JsonFlag,
  })
  .refine((o) => (o.amount === undefined) !== (o.tx === undefined), { message: "give either --amount N (deposit now) or --tx HASH (an earlier deposit)", path: ["amount"] });

/**
 * `assay credits deposit --amount N`: calls Treasury.depositFee on the
 * platform's chain with the developer's deposit reference and N × weiPerCredit
 * wei, signed with a local key (ASSAY_DEPOSIT_PRIVATE_KEY or --key-file, never
 * an argument), then points the platform at the transaction and waits until it
 * is confirmed and credited. `--tx HASH` claims an earlier deposit instead.
 */
export async function depositCommand(rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(DepositInput, rawOptions, { amount: "--amount", tx: "--tx", keyFile: "--key-file", rpcUrl: "--rpc-url", timeout: "--timeout" });
  const { api } = await apiContext(env);
  const info = await api.depositInfo();
  if (!info.enabled || info.treasury === null) throw new DepositError("on-chain deposits are not offered by this platform (no chain, or switched off by its operators)");
  let txHash = input.tx;
  if (input.amount !== undefined) {
    const privateKey = await depositKey(input.keyFile, env);
    const discovery = await api.discovery();
    const rpcUrl = input.rpcUrl ?? (env.ASSAY_CHAIN_RPC_URL || discovery.chain?.rpcUrl);
    if (!rpcUrl) throw new UsageError("no RPC URL for the chain: pass --rpc-url or set ASSAY_CHAIN_RPC_URL");
    const wei = input.amount * BigInt(info.weiPerCredit);
    let connection;
    try {
      connection = await connectChain({ rpcUrl, privateKey, pollingIntervalMs: 250 });
    } catch (error) {
      throw new DepositError(`could not reach the chain at ${rpcUrl}: ${firstLine(error)}`);
    }
    if (info.chainId !== null && connection.chain.id !== info.chainId) throw new DepositError(`${rpcUrl} serves chain ${connection.chain.id}; the platform's Treasury is on chain ${info.chainId}`);
    const treasury = info.treasury as `0x${string}`;
    const context = requireSigner(withAddresses(connection, { certificateRegistry: treasury, validatorRegistry: treasury, treasury }));
    if (!input.json) io.stderr(`depositing ${wei} wei (${input.amount} credits) to the Treasury ${info.treasury} from ${context.walletClient.account.address}…\n`);
    try {
      txHash = (await depositFee(context, info.reference as `0x${string}`, wei)).transactionHash;
    } catch (error) {
      throw new DepositError(`the deposit transaction failed: ${firstLine(error)}`);
    }
    if (!input.json) io.stderr(`mined: ${txHash}\n`);
  }
  let claim = await api.claimDeposit(txHash!);
  const deadline = Date.now() + input.timeout * 1000;
  while (claim.status === "pending" && input.wait && Date.now() < deadline) {
    if (!input.json) io.stderr(`pending: ${claim.confirmations}/${claim.required} confirmations\n`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    claim = await api.claimDeposit(txHash!);
  }
  if (input.json) io.stdout(`${JSON.stringify(claim, null, 2)}\n`);
  else if (claim.status === "pending") io.stdout(`pending: ${claim.confirmations}/${claim.required} confirmations for ${claim.txHash}; run \`assay credits deposit --tx ${claim.txHash}\` later\n`);
  else io.stdout(`credited ${claim.credited} ${claim.balance.currency} (tx ${claim.txHash}); ${claim.balance.available} available\n`);
  return ExitCode.Ok;
}

async function depositKey(keyFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  let key = env.ASSAY_DEPOSIT_PRIVATE_KEY;
  if (keyFile !== undefined) {
    try {
      key = (await readFile(keyFile, "utf8")).trim();
    } catch (error) {
      throw new UsageError(`--key-file: cannot read ${keyFile}: ${firstLine(error)}`);
    }
  }
  if (key === undefined || key === "") throw new UsageError("a deposit is signed with a local key: set ASSAY_DEPOSIT_PRIVATE_KEY or pass --key-file FILE (0x + 64 hex digits)");
  if (!PRIVATE_KEY.test(key)) throw new UsageError("the deposit key must be 0x + 64 hex digits");
  return key;
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split("\n")[0]!.slice(0, 200);
}
