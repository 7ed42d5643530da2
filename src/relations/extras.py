"""Optional features: their packages are imported on first use, and a missing one is one line naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from relations.errors import ExtraMissing


def need(module: str, extra: str, purpose: str) -> ModuleType:
    """The module, or ExtraMissing telling the user which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        raise ExtraMissing(f"{purpose} needs the '{extra}' extra ({missing} is not installed): "
                           f"pip install 'relations[{extra}]'") from None
