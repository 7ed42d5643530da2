"""The language knowledge the parser uses: dictionaries loaded, validated and matched."""

from relations.knowledge.loader import DATA_DIR, Knowledge, Matcher, load

__all__ = ["DATA_DIR", "Knowledge", "Matcher", "load"]
