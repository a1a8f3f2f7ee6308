"""People cells as Prosjektportalen exports and municipalities write them: who, with which e-mail.

A cell may hold «Etternavn, Fornavn», «Fornavn Etternavn», SharePoint's lookup text
``12;#Navn;#13;#Navn``, «Navn | e-post», ``Navn <e-post>``, a bare e-mail address, a job title
around the name («Kari Hansen - Rådmann», «Rådmann Kari Hansen <kari@…>», «Hansen, Kari
(kommunalsjef)») and several people separated by ``;``, line breaks or « og ». A name with a
body word (nemnd, gruppe, styre, utvalg, råd, forum, ledelse: «Fellesnemnda»,
«Rådmannsgruppen») is a body, not a person. :func:`parse_people` returns :class:`Entry` items;
the importer resolves them by e-mail first, then by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Job titles written beside names in Norwegian municipal exports (lowercase).
TITLES = frozenset({
    "rådmann", "assisterende rådmann", "kommunedirektør", "assisterende kommunedirektør", "kommunalsjef",
    "kommunalområdeleder", "direktør", "økonomisjef", "økonomidirektør", "ikt-sjef", "ikt sjef", "digitaliseringssjef",
    "personalsjef", "hr-sjef", "organisasjonssjef", "plansjef", "prosjektleder", "programleder", "prosjekteier",
    "programeier", "prosjektkoordinator", "koordinator", "avdelingsleder", "enhetsleder", "virksomhetsleder",
    "seksjonsleder", "fagleder", "rådgiver", "seniorrådgiver", "spesialrådgiver", "ordfører", "varaordfører",
    "daglig leder", "leder", "sjef", "kommuneoverlege", "stabssjef",
})  # fmt: skip
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_LEAD_TITLE = re.compile(rf"^(?P<title>{_TITLE_ALT})\s*[:,]?\s+(?P<rest>.+)$", re.I)
_TAIL_TITLE = re.compile(
    rf"^(?P<rest>.+?)\s*(?:[-–—,/]\s*|\(\s*)(?P<title>{_TITLE_ALT})\s*\)?$", re.I
)
BODY = re.compile(r"\w*(?:nemnd|gruppe|styre|utvalg|forum|ledelse)\w*|\w*råd(?:et|ene)?\b", re.I)


@dataclass(frozen=True)
class Entry:
    """One person (or body) named in a cell."""

    name: str
    email: str = ""
    title: str = ""
    body: bool = False


def split_people(text: str) -> list[str]:
    """The parts of a people cell, one per person (SharePoint lookup ids dropped)."""
    t = text.strip()
    lookup = ";#" in t  # SharePoint lookup text: id;#name;#id;#name (perhaps beside plain names)
    parts = [p.strip() for p in re.split(r";#|[;\n]|\s+(?:og|&)\s+", t) if p.strip()]
    return [p for p in parts if not (lookup and re.fullmatch(r"-?\d+", p))]


def parse_person(part: str) -> list[Entry]:
    """One part of a people cell → its entries (a «Ola Nordmann, Kari Hansen» list gives two)."""
    emails = EMAIL.findall(part)
    email = emails[0].casefold() if emails else ""
    text = part
    if "|" in text:  # "Navn | e-post": the side that is not an address
        sides = [s.strip() for s in text.split("|") if s.strip()]
        text = next((s for s in sides if not EMAIL.fullmatch(s)), "")
    text = re.sub(r"<[^>]*>|\(?(?:mailto:)?" + EMAIL.pattern + r"\)?", " ", text)
    text = " ".join(text.split()).strip(" ,;-–")
    if not text:
        return [Entry(_name_from_email(email), email)] if email else []
    if BODY.search(text) and not _LEAD_TITLE.match(text) and not _TAIL_TITLE.match(text):
        return [Entry(text, email, body=True)]
    title = ""
    if m := _LEAD_TITLE.match(text):
        title, text = m["title"], m["rest"]
    elif m := _TAIL_TITLE.match(text):
        text, title = m["rest"], m["title"]
    text = text.strip(" ,;-–")
    bits = [b.strip() for b in text.split(",") if b.strip()]
    if len(bits) == 2 and not (len(bits[0].split()) > 1 and len(bits[1].split()) > 1):
        return [Entry(f"{bits[1]} {bits[0]}", email, title.capitalize())]  # «Etternavn, Fornavn»
    if len(bits) > 1:  # «Ola Nordmann, Kari Hansen» is a list
        return [Entry(" ".join(b.split())) for b in bits]
    name = " ".join(text.split())
    if not name and email:
        name = _name_from_email(email)
    return [Entry(name, email, title.capitalize())] if name else []


@lru_cache(maxsize=65536)  # a portfolio repeats the same owners and leaders thousands of times
def parse_people(text: str) -> tuple[Entry, ...]:
    """Every person or body of a cell, once each (the same e-mail or name twice is one)."""
    out: list[Entry] = []
    for part in split_people(text):
        for e in parse_person(part):
            same = next(
                (
                    i
                    for i, o in enumerate(out)
                    if (e.email and o.email == e.email) or o.name == e.name
                ),
                None,
            )
            if same is None:
                out.append(e)
            elif e.email and not out[same].email:  # keep the fuller entry
                out[same] = Entry(
                    out[same].name, e.email, out[same].title or e.title, out[same].body
                )
    return tuple(out)  # immutable: lru_cache hands the same value to every caller


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    return " ".join(w.capitalize() for w in re.split(r"[._-]+", local) if w and not w.isdigit())


def body_type(name: str) -> str:
    """A body's type (loaders.schema bodies.type) guessed from its name."""
    n = name.casefold()
    for word, kind in (("fellesnemnd", "fellesnemnd"), ("kommunestyre", "kommunestyre"),
                       ("styringsgruppe", "styringsgruppe"), ("prosjektstyre", "prosjektstyre"),
                       ("prosjektgruppe", "prosjektgruppe"), ("arbeidsgruppe", "arbeidsgruppe"),
                       ("ledergruppe", "ledergruppe"), ("programledelse", "programledelse"),
                       ("porteføljeforum", "portefoljeforum"), ("porteføljestyre", "portefoljestyre"),
                       ("gruppelederforum", "gruppelederforum")):  # fmt: skip
        if word in n:
            return kind
    return "annet"
