// `assay certificate <id> [--out file] [--json]`: the certificate document
// `{ id, payload, jws, anchor? }` by certificate id or submission id, on stdout
// or into a file.
import { writeFile } from "node:fs/promises";
import { z } from "zod";
import { claimsLines, claimsView } from "../certificates/claims-view";
import { fetchCertificateDocument } from "../certificates/fetch-document";
import { parseCertificateOrSubmissionId } from "../certificates/ids";
import { ExitCode, UsageError } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { apiContext } from "./api-context";

const CertificateInput = z.object({ id: z.string().min(1, "an id is required"), out: z.string().min(1).optional(), json: JsonFlag });

export async function certificateCommand(id: string, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const input = parseOptions(CertificateInput, { id, ...rawOptions }, { id: "<id>" });
  const target = parseCertificateOrSubmissionId(input.id);
  const { api } = await apiContext(env);
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
