// Hostile example: allocates 8 MiB buffers (and keeps them) until the isolate
// runs out of memory. Expected: fault "memory" at the sandbox's memory cap; the
// host process is untouched.
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
  const hoard = [];
  return {
    step(turn) {
      for (;;) {
        const block = new Float64Array(1 << 20);
        block.fill(hoard.length);
        hoard.push(block, { copy: Array.from(block.subarray(0, 1024)) });
      }
    },
  };
}
