// The processes `npm start` runs, as data. Adding one is one line: a name, the
// workspace script that runs it, and how to tell it is ready. An entry whose
// workspace (or script) does not exist yet is reported and skipped, so the list
// can name what is planned before it lands.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LauncherConfig } from "./config";
import type { DemoFile } from "./demo-file";
import { admitDemoValidators, DEMO_VALIDATOR_STAKE } from "./admit-validators";
import { devChainService } from "./dev-chain";

export type ServiceCommand =
  /** `npm run <script>` semantics without npm in between: the script runs under sh in the workspace directory. */
  | { kind: "script"; workspace: string; script: string }
  | { kind: "exec"; file: string; args: string[]; cwd?: string };

export type ReadyCheck =
  | { kind: "http"; url: string; timeoutMs?: number }
  | { kind: "log"; pattern: RegExp; timeoutMs?: number }
  | { kind: "probe"; probe: () => Promise<boolean>; timeoutMs?: number };

export type ServiceSpec = {
  name: string;
  command: ServiceCommand;
  ready: ReadyCheck;
  env?: Record<string, string>;
  /** Runs once the service is ready: its env goes to every service started after it, its chain into demo.json. */
  afterReady?: () => Promise<{ env: Record<string, string>; chain?: DemoFile["chain"]; notes?: string[] }>;
};

export function platformServices(config: LauncherConfig): ServiceSpec[] {
  return [
    // First: the API and the workers are pointed at it (the chain's afterReady env).
    ...(config.devChain ? [devChainService(config)] : []),
    { name: "api", command: { kind: "script", workspace: "apps/api", script: "start" }, ready: { kind: "http", url: `${config.apiUrl}/v1/public/health` } },
    { name: "worker", command: { kind: "script", workspace: "apps/worker", script: "start" }, ready: { kind: "log", pattern: /worker started/ } },
    {
      name: "validators",
      command: { kind: "script", workspace: "apps/validators", script: "start" },
      ready: { kind: "log", pattern: /validators started/ },
      env: { ASSAY_API_URL: config.apiUrl },
      // Activation leaves them pending (docs/decisions/0012): admit the demo agents as the demo operator would.
      afterReady: async () => {
        const admitted = await admitDemoValidators(config);
        return {
          env: {},
          notes: [
            `admitted ${admitted.admitted.length} demo validator(s) with stake ${DEMO_VALIDATOR_STAKE} each (audit log)` +
              (admitted.alreadyAdmitted.length ? `; ${admitted.alreadyAdmitted.length} already admitted` : "") +
              (admitted.missing.length ? `; not activated: ${admitted.missing.join(", ")}` : ""),
          ],
        };
      },
    },
    // The production build behind a static server that serves only dist/ (never the Vite dev
    // server, whose /@fs/ route reads the repository, .assay included: issue 14 §2). Building
    // takes a while on a small machine, hence the roomier readiness timeout.
    { name: "web", command: { kind: "script", workspace: "apps/web", script: "start" }, ready: { kind: "http", url: config.webUrl, timeoutMs: 300_000 }, env: { WEB_PORT: String(config.webPort) } },
  ];
}

export type ResolvedCommand = { file: string; args: string[]; cwd: string; pathPrefix: string[] };

/** How to run a service, or why it cannot run yet. */
export function resolveCommand(repoRoot: string, command: ServiceCommand): ResolvedCommand | { unavailable: string } {
  if (command.kind === "exec") return { file: command.file, args: command.args, cwd: command.cwd ?? repoRoot, pathPrefix: [] };
  const dir = join(repoRoot, command.workspace);
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return { unavailable: `${command.workspace} does not exist yet` };
  const scripts = (JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  const script = scripts[command.script];
  if (!script) return { unavailable: `${command.workspace} has no "${command.script}" script yet` };
  return {
    file: "sh",
    args: ["-c", script],
    cwd: dir,
    // What npm puts first on PATH for a workspace script (Node 22 comes from the root's node_modules/.bin).
    pathPrefix: [join(dir, "node_modules", ".bin"), join(repoRoot, "node_modules", ".bin")],
  };
}
