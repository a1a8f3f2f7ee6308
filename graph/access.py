"""Who may do what: the roles reader / editor / admin, decided from a signed-in user's claims.

:func:`role_for` is a pure function of the ID token's claims and the :class:`AccessSettings`:
a role claim (configurable name, e.g. ``roles`` or ``groups``) whose values name editors and
admins, or lists of e-mail addresses / subjects. Nobody signed in, or signed in with nothing
that grants more, is a reader. Every write in the library calls :func:`require` with the
caller's :class:`Identity`, so a forged form in the browser cannot write for a reader.

Settings come from environment variables or an ``[access]`` section of Streamlit's secrets
(``.streamlit/secrets.toml``)::

    [access]
    role_claim = "groups"            # KG_ROLE_CLAIM (default "roles")
    editor_values = ["kg-editor"]    # KG_EDITOR_VALUES (default "editor")
    admin_values = ["kg-admin"]      # KG_ADMIN_VALUES (default "admin")
    editors = ["kari@asker.kommune.no"]   # KG_EDITORS: e-mails or subjects
    admins = ["ola@asker.kommune.no"]     # KG_ADMINS
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Role(enum.IntEnum):
    """Ordered: a higher role may do all that a lower one may."""

    READER = 0
    EDITOR = 1
    ADMIN = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class AccessSettings:
    role_claim: str = "roles"
    editor_values: frozenset[str] = frozenset({"editor"})
    admin_values: frozenset[str] = frozenset({"admin"})
    editors: frozenset[str] = frozenset()  # e-mails (case-insensitive) or subjects
    admins: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Identity:
    """A user as the library sees one: stable subject, display name and role (no tokens)."""

    subject: str
    name: str
    role: Role = Role.READER
    email: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def display(self) -> str:
        return self.name or self.email or self.subject


ANONYMOUS = Identity(subject="", name="", role=Role.READER)


class AccessDenied(Exception):
    """A write by someone whose role does not allow it."""

    def __init__(self, identity: Identity, needed: Role):
        who = identity.display or "anonymous"
        self.en = f"refused: {who} is {identity.role.label}; this needs the role {needed.label}"
        self.nb = (
            f"avvist: {who} har rollen {_NB[identity.role]}; dette krever rollen {_NB[needed]}"
        )
        super().__init__(self.en)

    def message(self, lang: str = "en") -> str:
        return self.nb if lang == "nb" else self.en


_NB = {Role.READER: "leser", Role.EDITOR: "redaktør", Role.ADMIN: "administrator"}


def role_label(role: Role, lang: str = "en") -> str:
    return _NB[role] if lang == "nb" else role.label


def _words(value: Any) -> list[str]:
    """A claim or setting as a list of strings: a list, or a text split on commas/spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        return [w for w in value.replace(",", " ").split() if w]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(v) for v in value]
    return [str(value)]


def settings_from(
    env: Mapping[str, str] | None = None, section: Mapping[str, Any] | None = None
) -> AccessSettings:
    """Settings from an ``[access]`` secrets section, else the environment, else defaults."""
    env = os.environ if env is None else env
    section = section or {}

    def pick(key: str, var: str, default: list[str]) -> list[str]:
        if key in section:
            return _words(section[key])
        if env.get(var):
            return _words(env[var])
        return default

    claim = str(section.get("role_claim") or env.get("KG_ROLE_CLAIM") or "roles")
    return AccessSettings(
        role_claim=claim,
        editor_values=frozenset(pick("editor_values", "KG_EDITOR_VALUES", ["editor"])),
        admin_values=frozenset(pick("admin_values", "KG_ADMIN_VALUES", ["admin"])),
        editors=frozenset(w.lower() for w in pick("editors", "KG_EDITORS", [])),
        admins=frozenset(w.lower() for w in pick("admins", "KG_ADMINS", [])),
    )


def role_for(claims: Mapping[str, Any] | None, settings: AccessSettings) -> Role:
    """The role of a signed-in user with these ID-token ``claims`` (reader if none match).

    >>> s = AccessSettings(editors=frozenset({"kari@x.no"}))
    >>> role_for({"sub": "k1", "email": "Kari@X.no"}, s).label
    'editor'
    >>> role_for({"sub": "o1", "roles": ["admin"]}, s).label
    'admin'
    >>> role_for({"sub": "p1", "roles": "editors"}, s).label
    'reader'
    >>> role_for(None, s).label
    'reader'
    """
    if not claims or not claims.get("sub"):
        return Role.READER
    who = {str(claims["sub"]).lower()}
    if claims.get("email"):
        who.add(str(claims["email"]).lower())
    values = set(_words(claims.get(settings.role_claim)))
    if who & settings.admins or values & settings.admin_values:
        return Role.ADMIN
    if who & settings.editors or values & settings.editor_values:
        return Role.EDITOR
    return Role.READER


def identity_for(claims: Mapping[str, Any] | None, settings: AccessSettings) -> Identity:
    """An :class:`Identity` from ID-token claims (only the few fields the audit trail needs)."""
    if not claims or not claims.get("sub"):
        return ANONYMOUS
    name = str(claims.get("name") or claims.get("preferred_username") or "")
    return Identity(
        subject=str(claims["sub"]),
        name=name,
        email=str(claims.get("email") or ""),
        role=role_for(claims, settings),
    )


def require(identity: Identity | None, needed: Role = Role.EDITOR) -> Identity:
    """``identity`` if its role is at least ``needed``; raise :class:`AccessDenied` otherwise."""
    if not isinstance(identity, Identity):
        identity = ANONYMOUS
    if identity.role < needed or (needed > Role.READER and not identity.subject):
        raise AccessDenied(identity, needed)
    return identity


__all__ = [
    "ANONYMOUS",
    "AccessDenied",
    "AccessSettings",
    "Identity",
    "Role",
    "identity_for",
    "require",
    "role_for",
    "role_label",
    "settings_from",
]
