"""Sign-in for the app: Streamlit's ``st.login`` (OpenID Connect, via Authlib) and the user's role.

Sign-in is offered only when ``.streamlit/secrets.toml`` (or another secrets file) has an
``[auth]`` section with ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``
and ``server_metadata_url``. Without it nobody signs in, everybody is a reader and the app is
read-only, as before. The role comes from :func:`graph.access.role_for` with the ``[access]``
settings (or the ``KG_ROLE_CLAIM``/``KG_EDITORS``/... environment variables).

Only the subject, the display name and the role are kept in the session: tokens are never read
here, written to a page or logged.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph.access import ANONYMOUS, Identity, Role, identity_for, role_label, settings_from
from views.i18n import lang

REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
TEXT = {
    "signin": ("Sign in", "Logg inn"),
    "signout": ("Sign out", "Logg ut"),
    "signed_in": ("Signed in as **{who}** ({role})", "Logget inn som **{who}** ({role})"),
    "edit": ("Edit", "Rediger"),
    "reader_only": (
        "Sign in to edit (editors only).",
        "Logg inn for å redigere (bare redaktører).",
    ),
}


def tr(key: str, /, **values: Any) -> str:
    en, nb = TEXT[key]
    return (nb if lang() == "nb" else en).format(**values)


def _section(name: str) -> dict[str, Any]:
    """A section of the secrets, or {} (no secrets file is not an error: sign-in is off)."""
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets file anywhere
        return {}
    return dict(section) if section else {}


def configured() -> bool:
    """Is an identity provider configured (every key st.login needs is set)?"""
    auth = _section("auth")
    return all(auth.get(k) for k in REQUIRED)


def current_identity() -> Identity:
    """Who is using this session, with their role (a reader if not signed in)."""
    if not configured():
        return ANONYMOUS
    try:
        if not st.user.is_logged_in:
            return ANONYMOUS
        claims = st.user.to_dict()
    except Exception:  # st.user is unavailable outside a signed-in session
        return ANONYMOUS
    return identity_for(claims, settings_from(section=_section("access")))


def sidebar(identity: Identity) -> None:
    """The sign-in / sign-out control and who is signed in (nothing if sign-in is off)."""
    if not configured():
        return
    if identity.subject:
        st.caption(tr("signed_in", who=identity.display, role=role_label(identity.role, lang())))
        if st.button(tr("signout"), key="auth_signout"):
            st.logout()
    else:
        if st.button(tr("signin"), key="auth_signin", type="primary"):
            st.login()
        st.caption(tr("reader_only"))


def can_edit(identity: Identity) -> bool:
    return identity.role >= Role.EDITOR and bool(identity.subject)


def edit_title() -> str:
    return tr("edit")
