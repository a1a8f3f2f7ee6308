"""Roles from ID-token claims or settings lists (graph/access.py): a pure function, no server."""

from __future__ import annotations

import pytest

from graph.access import (
    AccessDenied,
    AccessSettings,
    Identity,
    Role,
    identity_for,
    require,
    role_for,
    settings_from,
)


def test_roles_come_from_the_configured_claim_and_nothing_else():
    s = settings_from(
        env={
            "KG_ROLE_CLAIM": "groups",
            "KG_EDITOR_VALUES": "kg-editor",
            "KG_ADMIN_VALUES": "kg-admin",
        }
    )
    assert role_for({"sub": "a", "groups": ["kg-editor"]}, s) is Role.EDITOR
    assert role_for({"sub": "a", "groups": ["x", "kg-admin"]}, s) is Role.ADMIN
    # the default claim name is not read once another is configured
    assert role_for({"sub": "a", "roles": ["kg-editor", "editor"]}, s) is Role.READER
    # values must match exactly: no prefix or case games
    assert role_for({"sub": "a", "groups": ["KG-EDITOR", "kg-editors"]}, s) is Role.READER
    assert role_for({"sub": "a", "groups": "kg-editor"}, s) is Role.EDITOR  # a single string claim


def test_settings_lists_of_emails_and_subjects():
    s = settings_from(env={}, section={"editors": ["Kari@Asker.Kommune.no"], "admins": "sub-42"})
    assert role_for({"sub": "k", "email": "kari@asker.kommune.no"}, s) is Role.EDITOR
    assert role_for({"sub": "sub-42"}, s) is Role.ADMIN
    assert role_for({"sub": "other", "email": "ola@asker.kommune.no"}, s) is Role.READER
    # no subject means not signed in, whatever else the claims say
    assert role_for({"email": "kari@asker.kommune.no", "roles": ["admin"]}, s) is Role.READER
    assert role_for(None, s) is Role.READER


def test_the_secrets_section_wins_over_the_environment():
    s = settings_from(
        env={"KG_ROLE_CLAIM": "groups", "KG_EDITORS": "a@x.no"},
        section={"role_claim": "roles", "editors": []},
    )
    assert s.role_claim == "roles" and s.editors == frozenset()


def test_identity_keeps_only_what_the_audit_trail_needs_and_require_checks_the_role():
    claims = {
        "sub": "k1",
        "name": "Kari Nordmann",
        "email": "k@x.no",
        "roles": ["editor"],
        "nonce": "n",
        "at_hash": "h",
    }
    me = identity_for(claims, AccessSettings())
    assert (me.subject, me.name, me.role) == ("k1", "Kari Nordmann", Role.EDITOR)
    assert "nonce" not in repr(me) and "at_hash" not in repr(me)
    assert require(me) is me
    with pytest.raises(AccessDenied, match="needs the role editor"):
        require(Identity("p", "Per", Role.READER))
    with pytest.raises(AccessDenied):
        require(Identity("", "", Role.ADMIN))  # a role without a signed-in subject is forged
    with pytest.raises(AccessDenied):
        require(None)
