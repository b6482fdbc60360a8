"""Pass-through runtime: the prompt is the latest user text, nothing else.

It keeps no state, rebuilds no context and measures nothing; it reports zero drift.
"""


def create_runtime(host):
    turns = 0

    def step(turn):
        nonlocal turns
        turns += 1
        try:
            reply = host.model.complete({"messages": [{"role": "user", "content": turn["text"]}]})["text"]
        except Exception:
            reply = "Something went wrong."
        packet = {
            "header": {"protocol_version": "1.0", "source_runtime_id": "passthrough-py", "target_runtime_id": "broadcast", "timestamp": str(host.clock.now())},
            "payload": {
                "attractor_state": {"id": "none", "type": "none", "stability": 1, "phase": "stable", "scr": 1},
                "drift_metrics": {"sdi": 0, "sv": 0, "pd": 0, "di": 0},
                "memory_snapshot": {"summary_hash": "", "retention_index": 0},
                "safety_flags": {"aegida_status": "nominal", "phase_lock": False, "recenter_active": False},
            },
            "signature": {"checksum": str(turns), "integrity_token": "none"},
        }
        host.sync.publish(packet)
        return {"reply": reply, "packet": packet}

    return type("Passthrough", (), {"step": staticmethod(step)})()
