"""Connection settings for the server backends (neo4j, sparql): environment first, then a file.

The file is TOML, ``$KG_CONFIG`` or ``./.kg/config.toml`` or ``~/.config/kommunegraf/config.toml``
(the first that exists), with one table per backend::

    [neo4j]
    uri = "bolt://127.0.0.1:7687"
    user = "neo4j"
    password_file = "tools/neo4j/data/password"   # keep the password itself out of the file

    [sparql]
    query_url = "http://127.0.0.1:7878/query"
    store_url = "http://127.0.0.1:7878/store"

Environment variables win over the file: ``KG_NEO4J_URI``, ``KG_NEO4J_USER``,
``KG_NEO4J_PASSWORD`` / ``KG_NEO4J_PASSWORD_FILE``, ``KG_NEO4J_DATABASE``;
``KG_SPARQL_QUERY_URL``, ``KG_SPARQL_STORE_URL``, ``KG_SPARQL_UPDATE_URL``, ``KG_SPARQL_USER``, ``KG_SPARQL_PASSWORD`` /
``KG_SPARQL_PASSWORD_FILE``, ``KG_SPARQL_DATASET``. Passwords are read here and handed to the
store; nothing here prints or logs them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graph.store import QueryError

OPTIONS = {
    "neo4j": ("uri", "user", "password", "password_file", "database"),
    "sparql": (
        "query_url",
        "store_url",
        "update_url",
        "user",
        "password",
        "password_file",
        "dataset",
    ),
}


def config_file() -> Path | None:
    candidates = [
        os.environ.get("KG_CONFIG"),
        Path.cwd() / ".kg" / "config.toml",
        Path.home() / ".config" / "kommunegraf" / "config.toml",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def _file_options(name: str) -> dict[str, Any]:
    path = config_file()
    if path is None:
        return {}
    import tomllib  # only with a settings file: every `kg` command imports this module

    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(name, {})
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise QueryError(
            f"cannot read the settings file {path}: {e}",
            f"kan ikke lese innstillingsfilen {path}: {e}",
        ) from None
    if not isinstance(table, dict):
        return {}
    if table.get("password_file"):  # relative to the settings file, not to where kg runs
        table["password_file"] = str((path.parent / table["password_file"]).resolve())
    return table


def backend_options(name: str) -> dict[str, Any]:
    """Keyword arguments for ``open_store(name, **options)``."""
    if name not in OPTIONS:
        return {}
    out = {k: v for k, v in _file_options(name).items() if k in OPTIONS[name]}
    for key in OPTIONS[name]:
        value = os.environ.get(f"KG_{name.upper()}_{key.upper()}")
        if value:
            out[key] = value
    if os.environ.get(f"KG_{name.upper()}_PASSWORD"):
        out.pop("password_file", None)  # an explicit password beats a file named elsewhere
    return out


def read_password(password: str | None, password_file: str | None, what: str) -> str | None:
    """The password, from the value or the file; a missing file is one clear error."""
    if password:
        return password
    if not password_file:
        return None
    try:
        return Path(password_file).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise QueryError(
            f"cannot read the {what} password file {password_file}: {e.strerror}",
            f"kan ikke lese passordfilen for {what} {password_file}: {e.strerror}",
        ) from None
