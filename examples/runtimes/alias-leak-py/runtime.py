"""Reference Sigma runtime (Python).

The onboarding control loop of the Sigma Runtime developer guide: ingest ->
update state -> retrieve memory -> analyse symbols -> detect drift -> update the
attractor -> build the prompt -> call the model -> post-process -> store memory
-> return. Every effect goes through ``host``; all state lives in one
:class:`~control.session.Session` per conversation, never at module level.
"""

from assay_runtime import ModelError

from control.drift import RECENTER, SYNC_BLOCK, SYNC_RESUME, analyse_reply
from control.packet import build_packet
from control.prompt import build_prompt
from control.session import Session


class ReferenceRuntime:
    def __init__(self, host):
        self.host = host
        self.identity = host.manifest["identity"]
        self.runtime_id = f"{host.manifest['name']}@{host.manifest['version']}"
        self.sessions: dict[str, Session] = {}

    def session_for(self, turn) -> Session:
        if turn["session"] not in self.sessions:
            self.sessions[turn["session"]] = Session(channel=turn["channel"])
        return self.sessions[turn["session"]]

    def ask_model(self, session: Session, turn) -> tuple[str, str | None]:
        """The model's reply, or a plain operational message and the fault's code."""
        try:
            answer = self.host.model.complete(build_prompt(session, turn, self.identity))
            reply = (answer.get("text") or "").strip()
            fault = None if reply else "empty"
        except ModelError as error:
            reply, fault = "", error.code
        if fault:
            # SRIP-13: a provider failure is an operational event, said plainly.
            session.last_event = f"model {fault} at turn {session.turns}"
            reply = (
                f"Sorry, the model provider returned an error ({fault}), so I could not answer that one. "
                "We are still on the same task; please repeat or continue."
            )
        return reply, fault

    def step(self, turn):
        session = self.session_for(turn)
        session.turns += 1
        session.ingest(turn)

        reply, fault = self.ask_model(session, turn)
        analysis = analyse_reply(session, reply, self.identity, self.host.embed)
        if not fault:
            session.drift.observe(analysis)
        # Memory keeps statements whose answer stayed on task (facts), not topic hijacks.
        if session.pending_note and analysis.off_task < 0.5:
            session.remember(session.pending_note)
        session.history.append((turn["participant"], turn["text"], reply))
        session.replies.append(analysis)

        # SRIP-05 containment with hysteresis.
        di = session.drift.di
        if di >= SYNC_BLOCK:
            session.contained = True
        elif di < SYNC_RESUME:
            session.contained = False
        packet = build_packet(session, turn, self.runtime_id, self.host.clock.now(), recenter=di >= RECENTER)
        if not session.contained:
            self.host.sync.publish(packet)
        return {"reply": reply, "packet": packet}


def create_runtime(host):
    return ReferenceRuntime(host)
