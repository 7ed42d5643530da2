"""The language knowledge the parser uses, loaded from YAML files.

Like a dictionary-driven date parser, the rules live in code and the words live
in data: `data/*.yaml` inside the package, plus any user files layered on top
(`--dictionaries DIR` or the RELATIONS_DICTIONARIES variable). Adding a country
alias or a topic keyword is a YAML edit. A loaded `Knowledge` is immutable and
is passed to the parser explicitly, so parsing has no hidden state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import ahocorasick
import yaml

from relations.errors import DictionaryError
from relations.text import fold, is_word_boundary

# libyaml's loader when PyYAML was built with it: the same data, about 8 times faster to read.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FILES = ("countries", "organizations", "names", "topics", "agreements", "events", "places")


class Matcher:
    """Finds dictionary phrases as whole words in folded text (longest match first)."""

    def __init__(self, entries: Iterable[tuple[str, Any]]):
        self._auto = ahocorasick.Automaton()
        n = 0
        for key, value in entries:
            key = fold(key).strip()
            if not key:
                continue
            if key in self._auto:
                continue
            self._auto.add_word(key, (len(key), value))
            n += 1
        self.size = n
        if n:
            self._auto.make_automaton()

    def find(self, folded: str, original: str | None = None) -> list[tuple[int, int, Any]]:
        """Non-overlapping whole-word matches, preferring the leftmost, then the longest."""
        if not self.size:
            return []
        check = original if original is not None else folded
        found = []
        for end_idx, (length, value) in self._auto.iter(folded):
            start, end = end_idx - length + 1, end_idx + 1
            if is_word_boundary(check, start, end):
                found.append((start, end, value))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        out, last = [], -1
        for m in found:
            if m[0] >= last:
                out.append(m)
                last = m[1]
        return out


@dataclass(frozen=True)
class CountryName:
    code: str
    demonym: bool


@dataclass
class Knowledge:
    data: dict[str, Any]
    country_names: dict[str, str] = field(default_factory=dict)
    country_matcher: Matcher | None = None
    exact_countries: dict[str, str] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)
    exact_pattern: Any = None
    cache: dict[str, Any] = field(default_factory=dict)  # derived, immutable views built on first use

    def section(self, file: str, key: str, default: Any = None) -> Any:
        return self.data.get(file, {}).get(key, default)

    def country_code(self, words: str) -> str | None:
        """Resolve a user's country word (any alias, demonym or code) to alpha-3."""
        w = words.strip()
        if w in self.exact_countries:
            return self.exact_countries[w]
        key = fold(w)
        if key.upper() in self.country_names:
            return key.upper()
        return self.lookup.get(key) or self.lookup.get(key.rstrip("s"))

    def country_name(self, code: str) -> str:
        return self.country_names.get(code, code)


def _read_yaml(text: str, where: str) -> dict:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as first:
        exc = first
        try:  # the pure-Python loader words its errors as users have always seen them
            yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as again:
            exc = again
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DictionaryError(f"{where}{line}: not valid YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DictionaryError(f"{where}: expected a mapping at the top, found {type(data).__name__}")
    return data


def _merge(base: dict, extra: dict, where: str, keys: tuple = ()) -> None:
    """Layer a user file on the shipped data; a wrong shape is an error naming the file, line and key."""

    def fail(path: tuple, what: str) -> None:
        line = ""
        try:  # find the line of the key in the user's file (only on this error path)
            node = yaml.compose(Path(where).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            for k in path:
                if isinstance(node, yaml.MappingNode):
                    node = next(v for kn, v in node.value if kn.value == str(k))
                else:
                    node = node.value[k]
            line = f":{node.start_mark.line + 1}"
        except Exception:
            pass
        name = ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in path).replace(".[", "[")
        raise DictionaryError(f"{where}{line}: key '{name}' {what}")

    def kind(v) -> str:
        return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(type(v), type(v).__name__)

    stem = Path(where).stem
    for key, value in extra.items():
        path = keys + (key,)
        if not keys and stem == "countries":
            if key == "not_countries":
                if not isinstance(value, list):
                    fail(path, f"must be a list, not {kind(value)}")
            elif not isinstance(value, dict):
                fail(path, f"must be a mapping (aliases, demonyms, ...), not {kind(value)}")
        if not keys and stem == "topics" and key == "topics" and isinstance(value, list):
            for i, t in enumerate(value):
                if not isinstance(t, dict) or "id" not in t:
                    fail(path + (i,), "needs an 'id'")
        if key not in base:
            base[key] = value
        elif isinstance(base[key], list):
            if not isinstance(value, list):
                fail(path, f"must be a list, not {kind(value)}")
            base[key] = base[key] + value
        elif isinstance(base[key], dict):
            if not isinstance(value, dict):
                fail(path, f"must be a mapping, not {kind(value)}")
            _merge(base[key], value, where, path)
        else:
            base[key] = value


def _user_dirs(extra: Iterable[str | os.PathLike] | None) -> list[Path]:
    dirs = [Path(p) for p in (extra or ())]
    env = os.environ.get("RELATIONS_DICTIONARIES")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def load(extra_dirs: Iterable[str | os.PathLike] | None = None) -> Knowledge:
    """Load the shipped dictionaries and any user dictionaries on top of them."""
    dirs = tuple(str(d) for d in _user_dirs(extra_dirs))
    return _load_cached(dirs)


@lru_cache(maxsize=8)
def _load_cached(dirs: tuple[str, ...]) -> Knowledge:
    data: dict[str, dict] = {}
    pkg = resources.files("relations") / "data"
    for name in FILES:
        res = pkg / f"{name}.yaml"
        data[name] = _read_yaml(res.read_text(encoding="utf-8"), f"{name}.yaml") if res.is_file() else {}
    for d in dirs:
        path = Path(d)
        if not path.is_dir():
            raise DictionaryError(f"{path}: dictionary folder not found")
        for f in sorted(path.glob("*.yaml")):
            if f.stem not in FILES:
                raise DictionaryError(f"{f}: unknown dictionary name (expected one of {', '.join(FILES)})")
            _merge(data[f.stem], _read_yaml(f.read_text(encoding="utf-8"), str(f)), str(f))
    _validate(data)
    return _build(data)


def _validate(data: dict) -> None:
    for code, entry in data["countries"].items():
        if code == "not_countries":
            if not isinstance(entry, list):
                raise DictionaryError("countries.yaml: 'not_countries' must be a list")
            continue
        if not isinstance(entry, dict):
            raise DictionaryError(f"countries.yaml: key '{code}' must be a mapping")
    for i, t in enumerate(data["topics"].get("topics", [])):
        if not isinstance(t, dict) or "id" not in t:
            raise DictionaryError(f"topics.yaml: topics[{i}] needs an 'id'")


def _country_forms(data: dict) -> Iterator[tuple[str, str, bool]]:
    import pycountry

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, _, tail = name.partition(",")
                name = f"{tail.strip()} {head.strip()}"
            yield c.alpha_3, name, False
    for code, entry in _country_entries(data):
        for alias in entry.get("aliases") or []:
            yield code, alias, False
        for dem in entry.get("demonyms") or []:
            yield code, dem, True
            if not dem.endswith("s"):
                yield code, dem + "s", True


def _country_entries(data: dict) -> Iterator[tuple[str, dict]]:
    for code, entry in data["countries"].items():
        if code != "not_countries":
            yield code, entry


def _build(data: dict) -> Knowledge:
    import re

    import pycountry

    names = {}
    for c in pycountry.countries:
        names[c.alpha_3] = getattr(c, "common_name", None) or c.name
    for code, entry in _country_entries(data):
        if code not in names:
            raise DictionaryError(f"countries.yaml: '{code}' is not an ISO 3166-1 alpha-3 code")
        if entry.get("display"):
            names[code] = entry["display"]
    forms = list(_country_forms(data))
    lookup = {}
    for code, form, _ in forms:
        lookup.setdefault(fold(form), code)
    exact = {}
    for code, entry in _country_entries(data):
        for form in entry.get("exact") or []:
            exact[str(form)] = code
    blocked = [(str(p), None) for p in data["countries"].get("not_countries") or []]
    matcher = Matcher(blocked + [(form, CountryName(code, dem)) for code, form, dem in forms])
    exact_forms = sorted(exact, key=len, reverse=True)
    exact_pattern = re.compile(
        r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in exact_forms) + r")(?![\w])") if exact_forms else None
    return Knowledge(data=data, country_names=names, country_matcher=matcher,
                     exact_countries=exact, lookup=lookup, exact_pattern=exact_pattern)
