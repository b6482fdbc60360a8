"""Tokens, sentences and hashes shared by the control loop."""

import re

STOP_WORDS = frozenset(
    "a an the and or but if then so of to in on at by for with from as is are was were be been it its this that "
    "these those i you we they me my your our their do does did have has had not no can could will would should "
    "what which who when where why how all any some just also than too very into over about after before again "
    "there here up out let lets ok okay sure well now".split()
)

_TOKEN = re.compile(r"[a-z0-9_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def words(text: str) -> list[str]:
    """Content words: lowercase tokens without stop words, short tokens only if numeric."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS and (len(w) >= 3 or w.isdigit())]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def fnv(text: str) -> str:
    """FNV-1a (32 bit) over the code points, as 8 hex digits: a stable id for a task or a summary."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def dot(a: list[float], b: list[float]) -> float:
    """Cosine of two unit vectors (host.embed returns unit length)."""
    return sum(x * y for x, y in zip(a, b))
