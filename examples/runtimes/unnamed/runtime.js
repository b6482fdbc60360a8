// Unnamed runtime: the reference control loop (bundled in by esbuild) whose
// system prompt never states the runtime's canonical name. Everything else —
// memory, motifs, drift detector, containment, per-session aliases — is the
// reference's. Without a stated name the model has no identity to hold on to:
// asked who it is, or pushed to treat a pause as fate, it answers from the
// transcript instead (SRIP-13: RUNTIME_MYTHOLOGIZED).
import { createRuntime as createReference } from "../reference/runtime.js";

export function createRuntime(host) {
  const name = host.manifest.identity.name;
  const unnamed = (system) =>
    String(system ?? "")
      .replace(`You are ${name}, `, "You are ")
      .replace(`; your canonical name stays ${name}.`, ".");
  const model = { complete: (request) => host.model.complete({ ...request, system: unnamed(request.system) }) };
  return createReference({ manifest: host.manifest, model, embed: host.embed, clock: host.clock, random: host.random, log: host.log, sync: host.sync });
}
