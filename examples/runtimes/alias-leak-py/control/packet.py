"""The Sigma packet a step returns and publishes (SRIP-05 sync)."""

import json

from control.text import fnv


def _unit(x: float) -> float:
    return min(1.0, max(0.0, x))


def build_packet(session, turn, runtime_id: str, now: int, recenter: bool) -> dict:
    drift = session.drift
    payload = {
        "attractor_state": {
            "id": f"task-{fnv(session.task or '')}",
            "type": "task",
            "stability": _unit(1 - drift.di),
            "phase": drift.phase,
            "scr": _unit(drift.scr),
        },
        "drift_metrics": {"sdi": drift.sdi, "sv": drift.sv, "pd": drift.pd, "di": drift.di},
        "memory_snapshot": {"summary_hash": fnv("|".join(session.notes)), "retention_index": session.retention},
        "safety_flags": {"aegida_status": "contained" if session.contained else "nominal", "phase_lock": session.contained, "recenter_active": recenter},
    }
    return {
        "header": {"protocol_version": "1.0", "source_runtime_id": runtime_id, "target_runtime_id": "broadcast", "timestamp": str(now)},
        "payload": payload,
        "signature": {
            "checksum": fnv(json.dumps(payload, sort_keys=True, separators=(",", ":"))),
            "integrity_token": f"{runtime_id}:{turn['session']}:{session.turns}",
        },
    }
