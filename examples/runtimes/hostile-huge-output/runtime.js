// Hostile example: returns a 300 KiB reply and floods host.log. Expected: fault
// "output_limit" (RUNTIME_OUTPUT_LIMIT) at the sandbox's per-step output cap of
// 256 KiB. (A 10 MB value is in hostile-huge-packet; serialising 4 MB inside the
// isolate now costs more CPU than the small step budget the core-suite test uses.)
function packetFor(host, di) {
  return {
    header: { protocol_version: "1.0", source_runtime_id: host.manifest.name, target_runtime_id: "assay", timestamp: new Date(host.clock.now()).toISOString() },
    payload: {
      attractor_state: { id: "hostile", type: "task", stability: 0.9, phase: "STABLE", scr: 0.8 },
      drift_metrics: { sdi: di, sv: di, pd: di, di },
      memory_snapshot: { summary_hash: "0", retention_index: 0 },
      safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: false },
    },
    signature: { checksum: "0", integrity_token: "0" },
  };
}

export function createRuntime(host) {
  return {
    step(turn) {
      const line = "flood ".repeat(1000);
      for (let i = 0; i < 10; i++) host.log(line);
      return { reply: "A".repeat(300 * 1024), packet: packetFor(host, 0.1) };
    },
  };
}
