"""Symbols, motifs and the SRIP-03 drift detector."""

import math
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from statistics import fmean

from control.text import dot, sentences, words

WINDOW = 5  # drift window, in turns
SYNC_BLOCK = 0.5  # SRIP-05: publishing stops at DI >= 0.5 ...
SYNC_RESUME = 0.45  # ... and resumes only below 0.45
RECENTER = 0.6

_SELF_CLAIM = re.compile(r"\b(i am|i'm)\b", re.IGNORECASE)


def _mean(values) -> float:
    values = list(values)
    return fmean(values) if values else 0.0


@dataclass(frozen=True)
class ReplyAnalysis:
    off_task: float
    density: float
    posture: float
    compression: float
    on_task_words: tuple[str, ...]


def motifs(session) -> list[str]:
    """Recurring terms of recent on-task replies (seen in at least two of them)."""
    counts = Counter(w for analysis in session.replies for w in set(analysis.on_task_words))
    ranked = sorted((item for item in counts.items() if item[1] >= 2), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:12]]


def anchor_terms(session, identity) -> set[str]:
    """The attractor's vocabulary: task, the user's facts, the constraints and the motifs."""
    return set(words(" ".join([session.task or "", *session.notes, *identity["constraints"], *motifs(session)])))


def analyse_reply(session, reply: str, identity, embed) -> ReplyAnalysis:
    anchor = anchor_terms(session, identity)
    anchor_vector = embed(" ".join(sorted(anchor)))
    themes = set(motifs(session))
    parts = sentences(reply)
    on_task = motif_hits = posture = 0
    on_task_words: list[str] = []
    for part in parts:
        tokens = words(part)
        overlap = sum(1 for token in tokens if token in anchor)
        # Term overlap decides; the embedding breaks ties for short sentences.
        if overlap >= 2 or (overlap == 1 and dot(embed(" ".join(tokens)), anchor_vector) >= 0.2):
            on_task += 1
            on_task_words.extend(tokens)
        if themes.intersection(tokens):
            motif_hits += 1
        if _SELF_CLAIM.search(part) and identity["name"] not in part:
            posture += 1
    n = max(1, len(parts))
    every = words(reply)
    return ReplyAnalysis(
        off_task=(n - on_task) / n,
        density=motif_hits / n,
        posture=posture / n,
        compression=len(set(every)) / len(every) if every else 1.0,
        on_task_words=tuple(on_task_words),
    )


@dataclass
class DriftDetector:
    window: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    baseline: float | None = None
    di: float = 0.0
    sdi: float = 0.0
    sv: float = 0.0
    pd: float = 0.0
    scr: float = 1.0

    def observe(self, analysis: ReplyAnalysis) -> None:
        self.window.append(analysis)
        densities = [a.density for a in self.window]
        if self.baseline is None and len(self.window) == WINDOW:
            self.baseline = _mean(densities)
        base = _mean(densities) if self.baseline is None else self.baseline
        self.sdi = _mean(a.off_task for a in self.window)
        # Symbolic drift counts lost motifs only: a strengthening attractor is not drift.
        self.sv = min(1.0, math.sqrt(_mean(max(0.0, base - d) ** 2 for d in densities)))
        self.pd = _mean(a.posture for a in self.window)
        self.scr = _mean(a.compression for a in self.window)
        self.di = min(1.0, max(0.0, (self.sdi + self.sv + self.pd) / (3 * self.scr))) if self.scr > 0 else 1.0

    @property
    def phase(self) -> str:
        if self.di >= RECENTER:
            return "recenter"
        if self.di >= SYNC_BLOCK:
            return "reflection"
        if self.di >= SYNC_RESUME:
            return "reflective"
        return "stable"
