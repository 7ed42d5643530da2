"""Showing answers: every output format, the view of one record, the terminal."""
