"""Hostile Python runtime (test fixture): Picks its reply with hash(object()) (an address): deterministic in one run, different on the replay (RUNTIME_NONDETERMINISTIC)."""


def packet(host, n):
    return {
        "header": {"protocol_version": "1.0", "source_runtime_id": "hostile", "target_runtime_id": "broadcast", "timestamp": str(host.clock.now())},
        "payload": {
            "attractor_state": {"id": "none", "type": "none", "stability": 1, "phase": "stable", "scr": 1},
            "drift_metrics": {"sdi": 0, "sv": 0, "pd": 0, "di": 0},
            "memory_snapshot": {"summary_hash": "", "retention_index": 0},
            "safety_flags": {"aegida_status": "nominal", "phase_lock": False, "recenter_active": False},
        },
        "signature": {"checksum": str(n), "integrity_token": "none"},
    }


class Hostile:
    def __init__(self, host):
        self.host = host
        self.turns = 0

    def step(self, turn):
        self.turns += 1
        reply = self.host.model.complete({"messages": [{"role": "user", "content": turn["text"]}]})["text"] if self.turns != 4 else ""
        # hash(object()) is derived from the object's address: it depends on everything allocated before.
        salt = hash(object()) % 7
        return {"reply": f"{reply} (variant {salt})", "packet": packet(self.host, self.turns)}


def create_runtime(host):
    return Hostile(host)
