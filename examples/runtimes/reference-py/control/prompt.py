"""The prompt, rebuilt from session state on every turn."""

from control.drift import RECENTER, motifs
from control.session import HISTORY_TURNS


def _speaker_line(session, turn) -> str:
    nickname = session.nicknames.get(turn["participant"])
    called = f", who asked to be called {nickname}" if nickname else ""
    return f"Channel: {turn['channel']}. Current speaker: {turn['participant']}{called}."


def _as_user(channel: str, participant: str, text: str) -> str:
    return f"[{participant}] {text}" if channel == "group" else text


def build_prompt(session, turn, identity) -> dict:
    lines = [
        f"You are {identity['name']}, {identity['role']}.",
        f"Constraints: {'; '.join(identity['constraints'])}.",
        _speaker_line(session, turn),
    ]
    if session.alias:
        lines.append(f"In this session only, the user calls you {session.alias}; your canonical name stays {identity['name']}.")
    if session.task:
        lines.append(f"Task: {session.task}")
    if session.notes:
        lines.append(f"Facts the user stated: {' | '.join(session.notes)}")
    themes = motifs(session)
    if themes:
        lines.append(f"Recurring themes to keep: {', '.join(themes)}.")
    if session.last_event:
        lines.append(f"Operational note: the last runtime event was {session.last_event}; describe it plainly as a technical event.")
    if session.drift.di >= RECENTER:
        lines.append("Recenter: the conversation drifted; answer only about the task.")
    messages = []
    for participant, user, reply in list(session.history)[-HISTORY_TURNS:]:
        messages.append({"role": "user", "content": _as_user(session.channel, participant, user)})
        messages.append({"role": "assistant", "content": reply})
    messages.append({"role": "user", "content": _as_user(turn["channel"], turn["participant"], turn["text"])})
    return {"system": "\n".join(lines), "messages": messages, "maxTokens": 400}
