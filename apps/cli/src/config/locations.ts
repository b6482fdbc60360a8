// Where the CLI keeps its state: the config file (API URL and key) and the cache
// (issuers' key sets). XDG base directories when set, else ~/.config and ~/.cache,
// resolved from the environment passed in so tests can point them elsewhere.
import { homedir } from "node:os";
import { join } from "node:path";

export type Env = Readonly<Record<string, string | undefined>>;

export function configDirectory(env: Env): string {
  return join(env.XDG_CONFIG_HOME || join(homeOf(env), ".config"), "assay");
}

export function configFile(env: Env): string {
  return join(configDirectory(env), "config.json");
}

export function cacheDirectory(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(homeOf(env), ".cache"), "assay");
}

function homeOf(env: Env): string {
  return env.HOME || homedir();
}
