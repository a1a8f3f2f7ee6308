"""Multi-valued cells as Norwegian users write them: every value kept, names with «og» kept whole.

Prosjektportalen exports a taxonomy field with several terms as «A;B» or SharePoint's ``A;#B``;
people type lists by hand: «SDG 16, 17», «Mål 3 og 4», «03. God helse og livskvalitet, 11.
Bærekraftige byer og lokalsamfunn», «Helse og velferd, Skole og oppvekst». Strong separators
(``;``, ``;#``, ``|``, line breaks) always split; weak ones («,», « og », «&») split only where
the pieces are values of their own, so «Kultur, idrett og fritid» and «God helse og
livskvalitet» stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

STRONG = re.compile(r";#|[;|\n]")
WEAK = re.compile(r"(\s*,\s*|\s+og\s+|\s*&\s*)")
# A UN goal written by its number: «3», «03.», «Mål 3», «SDG 3», «FNs bærekraftsmål nr. 3».
GOAL_START = re.compile(
    r"^(?:(?:fns\s+)?(?:bærekraftsmål|mål|sdg|goal)\s*(?:nr\.?)?\s*)?0?(\d{1,2})(?!\d)(?:\s*[.:)–-])?",
    re.I,
)


GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def strong_parts(text: str) -> list[str]:
    """Parts between strong separators; SharePoint lookup ids (``12;#``) and term GUIDs dropped."""
    lookup = re.match(r"^\s*-?\d+;#", text) is not None
    parts = [p.strip() for p in STRONG.split(text)]
    return [
        p for p in parts if p and not GUID.match(p) and not (lookup and re.fullmatch(r"-?\d+", p))
    ]


def split_values(text: str, known: Callable[[str], bool]) -> list[str]:
    """Every value of a cell; a part is split on weak separators only into values ``known`` knows.

    A part whose pieces are not all known stays whole (it may be a value nobody listed)."""
    out: list[str] = []
    for part in strong_parts(text):
        pieces = _greedy(part, known)
        for v in pieces if pieces is not None else [part]:
            if v not in out:
                out.append(v)
    return out


def _greedy(part: str, known: Callable[[str], bool]) -> list[str] | None:
    """``part`` as a run of known values, longest first, keeping their own «,» and «og»."""
    bits = WEAK.split(part)  # value, separator, value, …
    words, seps = bits[0::2], bits[1::2]
    out, i = [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            cand = words[i] + "".join(seps[k] + words[k + 1] for k in range(i, j - 1))
            if known(cand.strip()):
                out.append(cand.strip())
                i = j
                break
        else:
            return None
    return out


def split_goals(text: str, is_name: Callable[[str], bool]) -> list[str]:
    """The goals of an SDG cell, one text per goal: «SDG 16, 17» → [«SDG 16», «17»]."""
    out: list[str] = []
    for part in strong_parts(text):
        whole = _greedy(part, is_name)
        if whole is not None and not GOAL_START.match(part):
            out += whole
            continue
        bits = WEAK.split(part)
        words, seps = bits[0::2], bits[1::2]
        current = ""
        for k, w in enumerate(words):
            if GOAL_START.match(w.strip()) or not current:
                if current:
                    out.append(current.strip())
                current = w
            else:  # a name fragment after «og» or «,»: part of the goal before it
                current += seps[k - 1] + w
        if current.strip():
            out.append(current.strip())
    return out
