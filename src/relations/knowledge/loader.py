"""The language knowledge the parser uses, loaded from YAML files.

Like a dictionary-driven date parser, the rules live in code and the words live
in data: `data/*.yaml` inside the package, plus any user files layered on top
(`--dictionaries DIR` or the RELATIONS_DICTIONARIES variable). Adding a country
alias or a topic keyword is a YAML edit. A loaded `Knowledge` is never changed (its
`cache` only fills with views derived from it) and is passed to the parser explicitly, so parsing has no hidden state.

Reading the YAML and pycountry's tables costs more than a short command's whole
parse, so the merged data is kept as plain JSON in the user's cache folder, in a
file named by a fingerprint of every input (this install's code, its pycountry,
the YAML files): several installs on one machine each keep their own, and the
least recently written beyond CACHE_KEEP are pruned. The cache is derived:
deleting it, or setting RELATIONS_NO_CACHE=1, only costs time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from relations.errors import DictionaryError
from relations.knowledge import schema
from relations.text import fold, is_word_boundary

FILES = ("countries", "organizations", "names", "topics", "agreements", "events", "places")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NO_CACHE_ENV = "RELATIONS_NO_CACHE"   # set to 1: always read the YAML files
CACHE_FORMAT = 1                      # raise when the cached payload changes shape
CACHE_KEEP = 16                       # cache files kept (installs x sets of user folders)


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
    country_forms: list[tuple[str, Any]] = field(default_factory=list, repr=False)  # what the matcher finds
    exact_countries: dict[str, str] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # derived, immutable views built on first use

    # Built on first use: resolving a user's country word (timeline, list --country) needs neither.
    @property
    def country_matcher(self) -> Matcher:
        m = self.cache.get("country_matcher")
        if m is None:
            m = self.cache["country_matcher"] = Matcher(self.country_forms)
        return m

    @property
    def exact_pattern(self) -> Any:
        if "exact_pattern" not in self.cache:
            import re

            forms = sorted(self.exact_countries, key=len, reverse=True)
            self.cache["exact_pattern"] = re.compile(
                r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w])") if forms else None
        return self.cache["exact_pattern"]

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


def _yaml(text: str, loader: type) -> Any:
    """One YAML document, read with a safe loader (the call `yaml.safe_load` makes, with a choice of loader)."""
    reader = loader(text)
    try:
        return reader.get_single_data()
    finally:
        reader.dispose()


def _read_yaml(text: str, where: str) -> dict:
    import yaml

    try:  # libyaml's loader when PyYAML was built with it: the same data, about 8 times faster to read
        data = _yaml(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as first:
        exc = first
        try:  # the pure-Python loader words its errors as users have always seen them
            _yaml(text, yaml.SafeLoader)
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


def _merge(base: dict, extra: dict) -> None:
    """Layer a user file (already checked against the schema) on the shipped data: lists extend, mappings merge."""
    for key, value in extra.items():
        if isinstance(base.get(key), list) and isinstance(value, list):
            base[key] = base[key] + value
        elif isinstance(base.get(key), dict) and isinstance(value, dict):
            _merge(base[key], value)
        else:
            base[key] = value


def user_folders(extra: Iterable[str | os.PathLike] | None = None) -> list[str]:
    """The user dictionary folders a load with `extra` reads (options, then RELATIONS_DICTIONARIES), made
    absolute; a folder that does not exist is an error."""
    out = []
    for d in _user_dirs(extra):
        if not d.is_dir():
            raise DictionaryError(f"{d}: dictionary folder not found")
        out.append(os.path.abspath(d))
    return out


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
    root = _cache_root()
    key = _fingerprint(dirs) if root else None
    path = root / _cache_name(key) if root and key else None
    if path and key:
        kb = _from_cache(path, key)
        if kb is not None:
            return kb
    data, table = _read_sources(dirs)
    kb = _build(data, table)
    if path and key and _fingerprint(dirs) == key:  # kept only when no input changed while it was being read
        _write_cache(path, key, data, table)
    return kb


def _read_text(path: Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DictionaryError(f"{where}: not UTF-8 text") from None
    except OSError as exc:
        raise DictionaryError(f"{where}: cannot read ({exc.strerror})") from None


def _read_sources(dirs: tuple[str, ...]) -> tuple[dict, list[list]]:
    """The merged, validated dictionaries and pycountry's country table: everything `_build` needs."""
    data: dict[str, dict] = {}
    for name in FILES:
        f = DATA_DIR / f"{name}.yaml"
        data[name] = _read_checked(name, f, f.name) if f.is_file() else {}
    for d in dirs:
        path = Path(d)
        if not path.is_dir():
            raise DictionaryError(f"{path}: dictionary folder not found")
        for f in sorted(path.glob("*.yaml")):
            if f.stem not in FILES:
                raise DictionaryError(f"{f}: unknown dictionary name (expected one of {', '.join(FILES)})")
            _merge(data[f.stem], _read_checked(f.stem, f, str(f)))
    return data, _country_table()


def _read_checked(name: str, path: Path, where: str) -> dict:
    text = _read_text(path, where)
    data = _read_yaml(text, where)
    schema.validate(name, data, where, text)
    return data


def _country_table() -> list[list]:
    """[alpha-3, name, common name, official name] for every ISO 3166-1 country, in pycountry's order."""
    import pycountry

    return [[c.alpha_3, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
            for c in pycountry.countries]


# the derived cache ----------------------------------------------------------

def _cache_root() -> Path | None:
    """The folder of the dictionary caches, or None when caching is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return root / "relations"


def _cache_name(key: str) -> str:
    return f"knowledge-{key[:32]}.json"


def cache_path(dirs: tuple[str, ...] = ()) -> Path | None:
    """Where the loaded knowledge for these user folders and this install is kept (None: not cached)."""
    root = _cache_root()
    key = _fingerprint(dirs) if root else None
    return root / _cache_name(key) if root and key else None


def _prune(folder: Path) -> None:
    """Keep the CACHE_KEEP most recently written caches: old installs and folders fade away."""
    try:
        files = sorted(folder.glob("knowledge-*.json"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for f in files[CACHE_KEEP:]:
            f.unlink()
    except OSError:  # another process pruned first, or the folder is read-only: it is only a cache
        pass


def _digest():
    from relations.digest import blake2b

    return blake2b(digest_size=32)


def _fingerprint(dirs: tuple[str, ...]) -> str | None:
    """A digest of every input of a load: this module, each YAML file's name and bytes, pycountry's files.

    None when an input is missing or odd, so that the load runs in full and reports it.
    """
    from importlib.machinery import PathFinder

    from relations import __version__

    h = _digest()
    add_dirs = tuple(os.path.abspath(d) for d in dirs)

    def add(*parts: Any) -> None:
        for p in parts:
            h.update(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogateescape"))
            h.update(b"\0")

    try:
        here = Path(__file__).resolve()
        add(CACHE_FORMAT, __version__, here, here.read_bytes(), Path(schema.__file__).read_bytes(), *add_dirs)
        for name in FILES:
            f = DATA_DIR / f"{name}.yaml"
            add(name, f.read_bytes() if f.is_file() else b"")
        for i, d in enumerate(dirs):
            path = Path(d)
            if not path.is_dir():
                return None
            for f in sorted(path.glob("*.yaml")):
                if f.stem not in FILES:
                    return None
                add(i, f.name, f.read_bytes())
        spec = PathFinder.find_spec("pycountry")
        if spec is None or not spec.submodule_search_locations:
            return None
        pkg = Path(list(spec.submodule_search_locations)[0])
        for f in (pkg / "__init__.py", pkg / "databases" / "iso3166-1.json"):
            st = f.stat()
            add(f, st.st_size, st.st_mtime_ns)
    except OSError:
        return None
    return h.hexdigest()


def _from_cache(path: Path, key: str) -> Knowledge | None:
    """The knowledge kept under this fingerprint, or None when there is none or it cannot be used."""
    import orjson

    try:
        got = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    try:
        if not isinstance(got, dict) or got.get("format") != CACHE_FORMAT or got.get("key") != key:
            return None
        data, table = got["data"], got["countries"]
        if not (isinstance(data, dict) and set(data) == set(FILES) and all(isinstance(v, dict) for v in data.values())
                and isinstance(table, list) and all(isinstance(r, list) and len(r) == 4 for r in table)):
            return None
        for name in FILES:
            schema.validate(name, data[name], "cached dictionaries")
        return _build(data, table)
    except Exception:  # a damaged cache only means a full load, which reports any real problem itself
        return None


def _write_cache(path: Path, key: str, data: dict, table: list[list]) -> None:
    """Keep the loaded data, atomically; only when JSON gives back exactly what was loaded."""
    import orjson

    payload = {"format": CACHE_FORMAT, "key": key, "data": data, "countries": table}
    try:
        blob = orjson.dumps(payload)
    except (TypeError, orjson.JSONEncodeError):  # e.g. a number used as a key
        return
    if orjson.loads(blob) != payload:  # e.g. a YAML date, which JSON would give back as a string
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _country_forms(data: dict, table: list[list]) -> Iterator[tuple[str, str, bool]]:
    for code, *official in table:
        for name in official:
            if not name:
                continue
            if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, _, tail = name.partition(",")
                name = f"{tail.strip()} {head.strip()}"
            yield code, name, False
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


def _build(data: dict, table: list[list]) -> Knowledge:
    names = {}
    for code, name, common, _ in table:
        names[code] = common or name
    for code, entry in _country_entries(data):
        if code not in names:
            raise DictionaryError(f"countries.yaml: '{code}' is not an ISO 3166-1 alpha-3 code")
        if entry.get("display"):
            names[code] = entry["display"]
    forms = list(_country_forms(data, table))
    lookup: dict[str, str] = {}
    for code, form, _ in forms:
        lookup.setdefault(fold(form), code)
    exact = {}
    for code, entry in _country_entries(data):
        for form in entry.get("exact") or []:
            exact[str(form)] = code
    blocked = [(str(p), None) for p in data["countries"].get("not_countries") or []]
    return Knowledge(data=data, country_names=names,
                     country_forms=blocked + [(form, CountryName(code, dem)) for code, form, dem in forms],
                     exact_countries=exact, lookup=lookup)
