// `assay submit <dir> [--wait] [--json]`: upload the artifact `assay validate`
// audits (same bundle, same subject digest) and print `{ id, status }`; with
// --wait follow it to a final state and print `{ id, status, certificateId? }`.
// With --quote nothing is submitted: the price breakdown is printed (--json:
// exactly `{ total, currency: "credits", lines: [{ kind, amount, detail }], catalogueVersion, expiresAt }`; a
// campaign shows as the discount line's detail).
import type { Quote } from "@assay/protocol";
import { z } from "zod";
import { ExitCode } from "../errors";
import type { CommandIo } from "../io";
import { DirectoryArgument, JsonFlag, parseOptions } from "../options";
import { loadRuntimeDirectory } from "../runtime-dir";
import { packRuntime } from "../submission/pack";
import { statusResult } from "../submission/watch-state";
import { apiContext } from "./api-context";
import { exitCodeOfStatus, followWithDisplay } from "./follow";

const SubmitInput = z
  .object({ dir: DirectoryArgument, wait: z.boolean().default(false), quote: z.boolean().default(false), json: JsonFlag })
  .refine((i) => !(i.quote && i.wait), { message: "--quote submits nothing, so it cannot --wait", path: ["quote"] });

export async function submitCommand(dir: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(SubmitInput, { dir, ...rawOptions }, { dir: "<dir>" });
  // Settings first: a bad ASSAY_API_URL is reported before a slow bundle.
  const { api } = await apiContext(env);
  const runtime = await loadRuntimeDirectory(input.dir);
  if (input.quote) {
    const quote = await api.quote(packRuntime(runtime));
    if (input.json) io.stdout(`${JSON.stringify(quoteJson(quote), null, 2)}\n`);
    else io.stdout(renderQuote(quote));
    return ExitCode.Ok;
  }
  const created = await api.createSubmission(packRuntime(runtime));
  if (!input.json) io.stderr(`Submitted ${runtime.manifest.name}@${runtime.manifest.version} (subject digest ${runtime.subjectDigest}) as ${created.id}: ${created.status}\n`);
  if (!input.wait) {
    print(io, input.json, { id: created.id, status: created.status });
    return ExitCode.Ok;
  }
  const final = await followWithDisplay(api, created.id, input.json, io, env);
  print(io, input.json, statusResult(final));
  return exitCodeOfStatus(final.status);
}

/** The `--json` shape of issue 9, nothing more: the campaign is already named by the discount line. */
export function quoteJson(quote: Quote): { total: number; currency: "credits"; lines: { kind: string; amount: number; detail: string }[]; catalogueVersion: number; expiresAt: string } {
  return {
    total: quote.total,
    currency: quote.currency,
    lines: quote.lines.map((l) => ({ kind: l.kind, amount: l.amount, detail: l.detail })),
    catalogueVersion: quote.catalogueVersion,
    expiresAt: quote.expiresAt,
  };
}

function renderQuote(quote: Quote): string {
  const width = Math.max(...quote.lines.map((l) => String(l.amount).length), String(quote.total).length);
  const rows = quote.lines.map((l) => `  ${String(l.amount).padStart(width)}  ${l.kind.padEnd(10)} ${l.detail}\n`);
  return `${rows.join("")}  ${"-".repeat(width)}\n  ${String(quote.total).padStart(width)}  ${quote.currency} (catalogue v${quote.catalogueVersion}, valid until ${quote.expiresAt})\n`;
}

function print(io: CommandIo, json: boolean, result: { id: string; status: string; certificateId?: string }): void {
  if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(`${result.id} ${result.status}${result.certificateId ? ` ${result.certificateId}` : ""}\n`);
}
