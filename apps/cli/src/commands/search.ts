// `assay search [name] [--claim SRIP-05] [--status certified] [--suite core]
// [--suite-version 1.0.0] [--issued-from D] [--issued-before D] [--limit N]
// [--cursor C | --all] [--json]`: the public registry's search (issue 12 item 5,
// docs/decisions/0017). Filters are checked with the same schema the API parses
// the query with (@assay/protocol RegistrySearchQuery), so a bad filter is a
// usage error (exit 2) before any request. Exit 0 when at least one certificate
// matched, 1 when none did (a negative result, as grep), 2 bad usage or an
// unreachable/refusing API.
import { RegistrySearchQuery, type RegistryEntry, type RegistryPage } from "@assay/protocol";
import { z } from "zod";
import { ExitCode, UsageError } from "../errors";
import type { CommandIo } from "../io";
import { JsonFlag, parseOptions } from "../options";
import { renderTable } from "../render/table";
import { apiContext } from "./api-context";

/** --all follows nextCursor for at most this many pages (a registry is not a dump). */
export const SEARCH_MAX_PAGES = 50;

const SearchInput = z.object({
  claim: z.string().optional(),
  status: z.string().optional(),
  suite: z.string().optional(),
  suiteVersion: z.string().optional(),
  issuedFrom: z.string().optional(),
  issuedBefore: z.string().optional(),
  limit: z.string().optional(),
  cursor: z.string().optional(),
  all: z.boolean().default(false),
  json: JsonFlag,
});

const FLAG_NAMES = {
  name: "<name>",
  claim: "--claim",
  status: "--status",
  suite: "--suite",
  suiteVersion: "--suite-version",
  issuedFrom: "--issued-from",
  issuedBefore: "--issued-before",
  limit: "--limit",
  cursor: "--cursor",
};

export async function searchCommand(name: string | undefined, rawOptions: Record<string, unknown>, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const { json, all, ...filters } = parseOptions(SearchInput, rawOptions, FLAG_NAMES);
  if (all && filters.cursor !== undefined) throw new UsageError("--all and --cursor cannot be combined (--all starts at the first page)");
  const defined = Object.fromEntries(Object.entries({ name, ...filters }).filter(([, v]) => v !== undefined));
  const query = parseOptions(RegistrySearchQuery, defined, FLAG_NAMES);
  const { api } = await apiContext(env);
  let page: RegistryPage = await api.searchRegistry(query);
  const items: RegistryEntry[] = [...page.items];
  for (let pages = 1; all && page.nextCursor !== null && pages < SEARCH_MAX_PAGES; pages++) {
    page = await api.searchRegistry({ ...query, cursor: page.nextCursor });
    items.push(...page.items);
  }
  const result: RegistryPage = { items, nextCursor: page.nextCursor };
  if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else render(result, io);
  return items.length > 0 ? ExitCode.Ok : ExitCode.Negative;
}

function render(page: RegistryPage, io: CommandIo): void {
  if (page.items.length === 0) {
    io.stdout("no certificate matches\n");
    return;
  }
  const rows = page.items.map((c) => [
    c.id,
    printable(c.runtime.name),
    printable(c.runtime.version),
    c.status + (c.statusReason ? ` (${printable(c.statusReason)})` : ""),
    c.claims.join(" · "),
    `${c.suite.id}@${c.suite.version}`,
    c.issuedAt.slice(0, 10),
    c.validUntil.slice(0, 10),
  ]);
  for (const line of renderTable(["CERTIFICATE", "RUNTIME", "VERSION", "STATUS", "CLAIMS", "SUITE", "ISSUED", "VALID UNTIL"], rows, "")) io.stdout(`${line}\n`);
  if (page.nextCursor) io.stdout(`more: --cursor ${page.nextCursor} (or --all)\n`);
}

/** Registry text is the issuer's data about someone else's runtime: no control characters (terminal escapes) reach the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "\ufffd");
}
