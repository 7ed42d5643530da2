"""Hash functions without OpenSSL's start-up cost.

`hashlib` loads OpenSSL on import (several milliseconds, a visible share of a
one-article ingest); CPython's built-in SHA-256 and BLAKE2 give the same
digests. The public `hashlib` is the fallback where the built-ins are missing.
"""

try:
    from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
except ImportError:  # pragma: no cover
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12 and later
    except ImportError:
        from hashlib import sha256

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

__all__ = ["blake2b", "sha256"]
