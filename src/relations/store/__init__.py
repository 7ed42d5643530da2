"""Keeping records: the JSON Lines archive and the index derived from it."""
