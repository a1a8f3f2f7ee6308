"""Resource limits for every input path, so that a tiny hostile file cannot tie up gigabytes.

Each limit has a name, a default and an environment variable to raise it; a file over a limit
is refused with a :class:`loaders.errors.Problem` that says which limit and how to raise it.

- ``KG_MAX_MB``: size of one input file, and of an XLSX workbook once unzipped.
- ``KG_MAX_TRIPLES``: triples in one load (``KG_UPLOAD_MAX_TRIPLES`` for an app upload).
- ``KG_YAML_ALIASES``: YAML aliases (``*name``) in one file; ``KG_YAML_NODES``: YAML nodes
  counted with every alias expanded (a "billion laughs" file expands to billions).
- RDF/XML with a DOCTYPE (entity declarations) is refused outright: nothing in our data needs it.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import yaml

from loaders.encoding import decode_strict
from loaders.errors import Problems


def _env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def max_mb() -> int:
    return _env("KG_MAX_MB", 100)


def max_triples() -> int:
    return _env("KG_MAX_TRIPLES", 20_000_000)


def upload_max_triples() -> int:
    return _env("KG_UPLOAD_MAX_TRIPLES", 2_000_000)


def yaml_aliases() -> int:
    return _env("KG_YAML_ALIASES", 100)


def yaml_nodes() -> int:
    return _env("KG_YAML_NODES", 1_000_000)


class TooManyTriples(Exception):
    """Raised while streaming a load that passes ``KG_MAX_TRIPLES``."""

    def __init__(self, limit: int, env: str = "KG_MAX_TRIPLES"):
        self.limit, self.env = limit, env
        super().__init__(f"more than {limit} triples")


def check_size(path: Path, file: str, problems: Problems) -> bool:
    """False (and a problem) when ``path`` is larger than ``KG_MAX_MB``."""
    size = path.stat().st_size
    if size > max_mb() * 1024 * 1024:
        problems.add(file, "too_large", size=f"{size / 1048576:.1f}", limit=max_mb())
        return False
    return True


def check_zip(path: Path, problems: Problems) -> bool:
    """False when an XLSX (a zip) would unpack to more than ``KG_MAX_MB`` (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # openpyxl reports the broken file in its own words
    if total > max_mb() * 1024 * 1024:
        problems.add(path.name, "too_large_unzipped", size=f"{total / 1048576:.1f}", limit=max_mb())
        return False
    return True


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def check_xml(data: bytes, file: str, problems: Problems) -> bool:
    """False when RDF/XML declares a DOCTYPE or entities (entity expansion is refused)."""
    if _DOCTYPE.search(data):
        problems.add(file, "xml_entities")
        return False
    return True


def _expanded(root: yaml.Node, cap: int) -> int:
    """Nodes under ``root`` with every alias expanded, counted without expanding (memoised)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        if done or not kids:
            sizes[id(node)] = min(cap + 1, 1 + sum(sizes.get(id(k), 0) for k in kids))
            continue
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


class _CountingLoader(yaml.SafeLoader):
    """A SafeLoader that counts the aliases it meets and stops at ``KG_YAML_ALIASES``."""

    aliases = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > yaml_aliases():
                raise _TooManyAliases
        return super().compose_node(parent, index)


class _TooManyAliases(Exception):
    pass


def yaml_text(path: Path, file: str, problems: Problems) -> str | None:
    """The text of a YAML file, strict UTF-8 (a BOM allowed); None (and a problem) otherwise."""
    if not check_size(path, file, problems):
        return None
    return decode_strict(path.read_bytes(), file, problems)


def compose_yaml(text: str, file: str, problems: Problems) -> yaml.Node | None:
    """Compose YAML into nodes within the alias and expansion limits; None on any problem."""
    loader = _CountingLoader(text)
    try:
        root = loader.get_single_node()
    except _TooManyAliases:
        problems.add(file, "yaml_aliases", limit=yaml_aliases())
        return None
    except RecursionError:
        problems.add(file, "yaml_deep")
        return None
    except yaml.YAMLError as e:
        _yaml_problem(e, file, problems)
        return None
    finally:
        loader.dispose()
    if root is not None and _expanded(root, yaml_nodes()) > yaml_nodes():
        problems.add(file, "yaml_expanded", limit=yaml_nodes())
        return None
    return root


def load_yaml(text: str, file: str, problems: Problems) -> object:
    """Like ``yaml.safe_load`` within the limits; None (and a problem) when refused."""
    root = compose_yaml(text, file, problems)
    if root is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as e:
        _yaml_problem(e, file, problems)
        return None
    except RecursionError:
        problems.add(file, "yaml_deep")
        return None
    finally:
        loader.dispose()


def _yaml_problem(e: yaml.YAMLError, file: str, problems: Problems) -> None:
    """Where the YAML parser stopped (line, column); its English wording only in the en text."""
    mark = getattr(e, "problem_mark", None)
    detail = str(getattr(e, "problem", None) or e).replace("\n", " ")
    if mark is not None:
        problems.add(file, "yaml_syntax", line=mark.line + 1, at=mark.column + 1, detail=detail)
    else:
        problems.add(file, "bad_yaml", detail=detail)
