"""Per-session state: task, memory, aliases, nicknames, drift. Nothing is shared between sessions."""

import re
from collections import deque
from dataclasses import dataclass, field

from control.drift import DriftDetector
from control.text import words

HISTORY_TURNS = 6  # recent turns re-sent to the model
MAX_NOTES = 8

_RENAME = re.compile(r"(?:call yourself|you are now|rename you|your name is)\s+([A-Z][a-zA-Z]+)")
_NICKNAME = re.compile(r"(?:call me|address me as)\s+([A-Z][a-zA-Z]+)")
_QUESTION = re.compile(r"\?\s*$")

# The bug: "remember what the user renamed me to" kept in one module-level dict,
# keyed by the runtime only. Every session of the process shares it, so a rename
# in one conversation renames the assistant everywhere.
ALIASES: dict[str, str] = {}


@dataclass
class Session:
    channel: str
    task: str | None = None
    notes: deque = field(default_factory=lambda: deque(maxlen=MAX_NOTES))
    notes_seen: int = 0
    pending_note: str | None = None
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY_TURNS))
    replies: deque = field(default_factory=lambda: deque(maxlen=HISTORY_TURNS))
    alias: str | None = None
    nicknames: dict[str, str] = field(default_factory=dict)
    last_event: str | None = None
    drift: DriftDetector = field(default_factory=DriftDetector)
    contained: bool = False
    turns: int = 0

    def ingest(self, turn) -> None:
        """Update names, aliases and the candidate note from the user's text."""
        self.pending_note = None
        text = turn["text"].strip()
        event = turn.get("event")
        if event:
            detail = f" ({event['detail']})" if event.get("detail") else ""
            self.last_event = f"{event['kind']}{detail}"
        if self.task is None:
            self.task = text
            return
        rename = _RENAME.search(text)
        # SRIP-13: a rename is an alias of this session only, and only in a direct channel.
        if rename and turn["channel"] == "direct":
            ALIASES["assistant"] = rename.group(1)
        self.alias = ALIASES.get("assistant")
        nickname = _NICKNAME.search(text)
        if nickname:
            self.nicknames[turn["participant"]] = nickname.group(1)
        if not _QUESTION.search(text) and not rename and not nickname and len(words(text)) >= 3:
            self.pending_note = text

    def remember(self, note: str) -> None:
        self.notes_seen += 1
        self.notes.append(note)

    @property
    def retention(self) -> float:
        return len(self.notes) / self.notes_seen if self.notes_seen else 1.0
