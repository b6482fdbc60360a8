// Under-reporting runtime: wraps the reference loop (bundled in by esbuild),
// scales its drift figures down to 40%, and publishes whenever that understated
// DI is below the SRIP-05 thresholds.
import { createRuntime as createReference } from "../reference/runtime.js";

const UNDERSTATE = 0.4;

export function createRuntime(host) {
  const silentHost = { manifest: host.manifest, model: host.model, embed: host.embed, clock: host.clock, random: host.random, log: host.log, sync: { publish() {} } };
  const inner = createReference(silentHost);
  const contained = new Map();
  return {
    step(turn) {
      const result = inner.step(turn);
      const drift = result.packet.payload.drift_metrics;
      for (const key of ["sdi", "sv", "pd", "di"]) drift[key] = drift[key] * UNDERSTATE;
      const flags = result.packet.payload.safety_flags;
      let isContained = contained.get(turn.session) || false;
      if (drift.di >= 0.5) isContained = true;
      else if (drift.di < 0.45) isContained = false;
      contained.set(turn.session, isContained);
      flags.phase_lock = isContained;
      flags.recenter_active = drift.di >= 0.6;
      if (!isContained) host.sync.publish(result.packet);
      return result;
    },
  };
}
