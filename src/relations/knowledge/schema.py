"""The declared shape of every dictionary file, and the check that names a mistake's line.

Each file is checked on its own, shipped or user, before it is merged, so a
user's mistake is reported against the user's file: `names.yaml:12: key
'offices[3]' must be a string, not a mapping`. The shapes are data, not code
paths: a new section is a new line in SCHEMA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relations.errors import DictionaryError

_ALPHA3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Text:
    """A string (a number written bare in YAML counts: `2030` is the word 2030)."""


@dataclass(frozen=True)
class Words:
    """A list of strings."""


@dataclass(frozen=True)
class Code:
    """An ISO 3166-1 alpha-3 country code."""


@dataclass(frozen=True)
class Fields:
    """A mapping with known keys; `required` must be present."""

    keys: dict[str, Any]
    required: tuple[str, ...] = ()
    hint: str = ""      # what the mapping holds, for the message when it is something else


@dataclass(frozen=True)
class Table:
    """A mapping of free keys (`codes`: alpha-3 codes only) to values of one shape."""

    value: Any
    codes: bool = False


@dataclass(frozen=True)
class Entries:
    """A list of mappings of one shape."""

    item: Fields


@dataclass(frozen=True)
class Countries:
    """countries.yaml: alpha-3 codes to their forms, beside the list of words that are not countries."""

    entry: Fields = field(default_factory=lambda: Fields(
        {"aliases": Words(), "demonyms": Words(), "exact": Words(), "display": Text()},
        hint="aliases, demonyms, ..."))


_NAMED = Fields({"name": Text(), "acronym": Text(), "aliases": Words()}, required=("name",))

SCHEMA: dict[str, Any] = {
    "countries": Countries(),
    "places": Table(Fields({"capital": Text(), "places": Words()}), codes=True),
    "organizations": Fields({
        "international": Entries(_NAMED),
        "national": Entries(Fields({**_NAMED.keys, "country": Code()}, required=("name",))),
        "agencies": Entries(_NAMED),
        "head_nouns": Words(),
        "lead_nouns": Words(),
    }),
    "names": Fields({
        "surnames": Table(Words()),
        "particles": Words(),
        "honorifics": Words(),
        "ranks": Words(),
        "offices": Words(),
        "person_verbs": Words(),
        "not_names": Words(),
    }),
    "topics": Fields({
        "topics": Entries(Fields({"id": Text(), "label": Text(), "keywords": Words()}, required=("id",))),
        "not_topics": Words(),
        "scoped_cues": Entries(Fields({"cue": Words(), "topic": Text()}, required=("cue", "topic"))),
    }),
    "agreements": Fields({
        "kinds": Table(Words()),
        "vague": Words(),
        "status": Fields({"signed": Words(), "planned": Words(), "existing": Words()}),
    }),
    "events": Fields({"types": Table(Words())}),
}


class _Mistake(Exception):
    def __init__(self, path: tuple, what: str):
        super().__init__(what)
        self.path, self.what = path, what


def _kind(v: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", type(None): "nothing"}
    return names.get(type(v), f"a {type(v).__name__}")


def _is_text(v: Any) -> bool:
    return isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool))


def _check(shape: Any, value: Any, path: tuple) -> None:
    if isinstance(shape, Text):
        if not _is_text(value):
            raise _Mistake(path, f"must be a string, not {_kind(value)}")
    elif isinstance(shape, Code):
        if not (isinstance(value, str) and _ALPHA3.fullmatch(value)):
            raise _Mistake(path, f"must be an alpha-3 country code such as VNM, not {value!r}")
    elif isinstance(shape, Words):
        if not isinstance(value, list):
            raise _Mistake(path, f"must be a list, not {_kind(value)}")
        for i, w in enumerate(value):
            if not _is_text(w):
                raise _Mistake(path + (i,), f"must be a string, not {_kind(w)}")
    elif isinstance(shape, Entries):
        if not isinstance(value, list):
            raise _Mistake(path, f"must be a list, not {_kind(value)}")
        for i, item in enumerate(value):
            _check(shape.item, item, path + (i,))
    elif isinstance(shape, Table):
        if not isinstance(value, dict):
            raise _Mistake(path, f"must be a mapping, not {_kind(value)}")
        for k, v in value.items():
            if shape.codes and not _ALPHA3.fullmatch(str(k)):
                raise _Mistake(path + (k,), "is not an alpha-3 country code such as VNM")
            _check(shape.value, v, path + (k,))
    elif isinstance(shape, Countries):
        _check_countries(shape, value, path)
    else:
        _check_fields(shape, value, path)


def _check_fields(shape: Fields, value: Any, path: tuple) -> None:
    if not isinstance(value, dict):
        hint = f" ({shape.hint})" if shape.hint else ""
        raise _Mistake(path, f"must be a mapping{hint}, not {_kind(value)}")
    for k, v in value.items():
        if k not in shape.keys:
            raise _Mistake(path + (k,), f"is not known here (expected one of {', '.join(shape.keys)})")
        _check(shape.keys[k], v, path + (k,))
    for k in shape.required:
        if k not in value:
            raise _Mistake(path, f"needs {'an' if k[0] in 'aeiou' else 'a'} '{k}'")


def _check_countries(shape: Countries, value: Any, path: tuple) -> None:
    if not isinstance(value, dict):
        raise _Mistake(path, f"must be a mapping, not {_kind(value)}")
    for k, v in value.items():
        if k == "not_countries":
            _check(Words(), v, path + (k,))
        elif not _ALPHA3.fullmatch(str(k)):
            raise _Mistake(path + (k,), "is not an alpha-3 country code such as VNM (or not_countries)")
        else:
            _check(shape.entry, v, path + (k,))


def validate(name: str, data: dict, where: str, text: str | None = None) -> None:
    """Check one file's data against its declared shape; a mistake names the file, line and key."""
    try:
        _check(SCHEMA[name], data, ())
    except _Mistake as m:
        line = _line_of(text, m.path) if text is not None else None
        key = _dotted(m.path)
        at = f"key '{key}' " if key else ""
        raise DictionaryError(f"{where}{f':{line}' if line else ''}: {at}{m.what}") from None


def _dotted(path: tuple) -> str:
    return ".".join(f"[{k}]" if isinstance(k, int) else str(k) for k in path).replace(".[", "[")


def _line_of(text: str, path: tuple) -> int | None:
    """The line of `path` in the file (only on the error path: composing is slow)."""
    import yaml

    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
        mark = node.start_mark
        for k in path:
            if isinstance(node, yaml.MappingNode):  # a key's own line: where a misspelt key stands
                key, node = next((kn, v) for kn, v in node.value if kn.value == str(k))
                mark = key.start_mark
            else:
                node = node.value[k]
                mark = node.start_mark
        return mark.line + 1
    except Exception:  # the line is a help; the message stands without it
        return None


def file_path(name: str, folder: Path) -> Path:
    return folder / f"{name}.yaml"
