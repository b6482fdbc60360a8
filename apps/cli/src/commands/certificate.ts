// `assay certificate <id> [--out file] [--json]`: the certificate document
// `{ id, payload, jws, anchor? }` by certificate id or submission id, on stdout
// or into a file. `--chain`: the supersedes chain through it instead (renewals,
// docs/decisions/0020), newest → oldest with statuses; `--json` prints it as
// the API's CertificateChain.
import { writeFile } from "node:fs/promises";
import type { CertificateChain } from "@assay/protocol";
import { z } from "zod";
import { claimsLines, claimsView } from "../certificates/claims-view";
import { fetchCertificateDocument } from "../certificates/fetch-document";
import { parseCertificateOrSubmissionId } from "../certificates/ids";
import { ExitCode, UsageError } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { apiContext } from "./api-context";

const CertificateInput = z.object({ id: z.string().min(1, "an id is required"), out: z.string().min(1).optional(), json: JsonFlag, chain: JsonFlag });

export async function certificateCommand(id: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(CertificateInput, { id, ...rawOptions }, { id: "<id>" });
  const target = parseCertificateOrSubmissionId(input.id);
  const { api } = await apiContext(env);
  if (input.chain) {
    if (input.out !== undefined) throw new UsageError("--chain prints the chain; it cannot be combined with --out");
    const id = target.kind === "certificate" ? target.id : String((await fetchCertificateDocument(api, target)).id);
    const chain = await api.certificateChain(id);
    io.stdout(input.json ? `${JSON.stringify(chain, null, 2)}\n` : chainText(chain));
    return ExitCode.Ok;
  }
  const document = await fetchCertificateDocument(api, target);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (input.out === undefined) {
    // The document is the machine output, with or without --json.
    io.stdout(text);
    return ExitCode.Ok;
  }
  try {
    await writeFile(input.out, text);
  } catch (error) {
    throw new UsageError(`cannot write ${input.out}: ${(error as Error).message}`);
  }
  if (input.json) io.stdout(`${JSON.stringify({ id: document.id, out: input.out }, null, 2)}\n`);
  else {
    const view = claimsView(document);
    const claims = view ? claimsLines(view).map((line) => `  ${line}\n`).join("") : "";
    io.stdout(`Wrote certificate ${String(document.id)} to ${input.out}\n${claims}`);
  }
  return ExitCode.Ok;
}

/** The chain, newest → oldest: one line per certificate with its status (and reason) and validity. */
export function chainText(chain: CertificateChain): string {
  const lines = chain.items.map((link) => {
    const status = link.reason ? `${link.status} (${link.reason})` : link.status;
    const marks = [link.id === chain.current ? "current" : null, link.id === chain.certificateId && link.id !== chain.current ? "asked" : null].filter(Boolean);
    return `  ${link.id}  ${status.padEnd(22)} issued ${link.issuedAt}  valid until ${link.validUntil}${marks.length ? `  [${marks.join(", ")}]` : ""}\n`;
  });
  return `Supersedes chain of ${chain.certificateId} (newest → oldest, ${chain.items.length} certificate${chain.items.length === 1 ? "" : "s"}):\n${lines.join("")}`;
}
