"""Read-only checks for ad-hoc queries, shared by every client (CLI, app, named queries).

SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP, ...) and SERVICE calls to any host are
refused before a query reaches a store; so are Cypher writes (CREATE, MERGE, DELETE, SET,
REMOVE, LOAD CSV, CALL dbms/db procedures that write). Comments, strings and IRIs are blanked
first so that a keyword inside a literal does not trip the check, and one hidden in a comment
does not slip through.
"""

from __future__ import annotations

import re

from graph.store import QueryError

_SPARQL_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[?$]\w+|[A-Za-z_][\w\-.]*:[\w\-.]*|:[\w\-.]+",
)
_SPARQL_WRITE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_SPARQL_SERVICE = re.compile(r"\bSERVICE\b", re.I)

_CYPHER_STRIP = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S
)
_CYPHER_WRITE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|LOAD\s+CSV|FOREACH|START\s+DATABASE|STOP\s+DATABASE"
    r"|ALTER|GRANT|DENY|REVOKE|TERMINATE)\b",
    re.I,
)
_CYPHER_CALL = re.compile(r"\bCALL\s*(?:\{|([A-Za-z_][\w.]*))", re.I)
# Procedures that describe the graph's shape and nothing about the server (users, roles,
# databases, configuration, versions): everything else is refused.
_CYPHER_READ_PROCS = (
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
)
_CYPHER_READ_PREFIXES = ("apoc.meta.",)
# Administration commands read or change the server, not the graph: SHOW USERS, DATABASES,
# PROCEDURES, SETTINGS ... leak server information even though they only read.
_CYPHER_ADMIN = re.compile(
    r"\b(SHOW|GRANT|DENY|REVOKE|ALTER|TERMINATE|USE|ENABLE"
    r"|(?:CREATE|DROP|RENAME|START|STOP)\s+(?:OR\s+REPLACE\s+)?(?:USER|ROLE|DATABASE|COMPOSITE|ALIAS|SERVER))\b",
    re.I,
)


def strip_sparql(text: str) -> str:
    return _SPARQL_STRIP.sub(" ", text)


def check_sparql(text: str, name: str | None = None) -> None:
    """Raise :class:`QueryError` unless ``text`` is a read-only SPARQL query without SERVICE."""
    bare = strip_sparql(text)
    m = _SPARQL_WRITE.search(bare)
    if m:
        kw = m.group(1).upper()
        raise QueryError(
            f"refused: {kw} would change the graph; only read queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are allowed",
            f"avvist: {kw} ville endret grafen; bare lesespørringer (SELECT, ASK, CONSTRUCT, DESCRIBE) er tillatt",
            name,
        )
    if _SPARQL_SERVICE.search(bare):
        raise QueryError(
            "refused: SERVICE (federated query to another host) is not allowed",
            "avvist: SERVICE (føderert spørring mot en annen tjener) er ikke tillatt",
            name,
        )


def check_cypher(text: str, name: str | None = None) -> None:
    """Raise :class:`QueryError` unless ``text`` is a read-only Cypher query."""
    bare = _CYPHER_STRIP.sub(" ", text)
    names = re.sub(r"(?<=\w)\.\w+|\$\w+|:\s*\w+", " ", bare)  # n.create, $set, :Show are names
    m = _CYPHER_ADMIN.search(names)
    if m:
        kw = " ".join(m.group(1).upper().split())
        raise QueryError(
            f"refused: {kw} is an administration command; the console runs only read queries on the graph",
            f"avvist: {kw} er en administrasjonskommando; konsollen kjører bare lesespørringer mot grafen",
            name,
        )
    m = _CYPHER_WRITE.search(names)
    if m:
        kw = " ".join(m.group(1).upper().split())
        raise QueryError(
            f"refused: {kw} would change the graph; only read queries are allowed",
            f"avvist: {kw} ville endret grafen; bare lesespørringer er tillatt",
            name,
        )
    for call in _CYPHER_CALL.finditer(bare):
        proc = (call.group(1) or "").lower()
        if proc not in _CYPHER_READ_PROCS and not proc.startswith(_CYPHER_READ_PREFIXES):
            raise QueryError(
                f"refused: CALL {call.group(1) or '{…}'} is not allowed in ad-hoc queries",
                f"avvist: CALL {call.group(1) or '{…}'} er ikke tillatt i ad hoc-spørringer",
                name,
            )
