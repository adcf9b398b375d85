"""Document kinds: one module per kind; `load_all` imports them so they register."""

from importlib import import_module

KIND_MODULES = ["records.kinds.internal_order"]
_loaded = False


def load_all() -> None:
    global _loaded
    if not _loaded:
        for module in KIND_MODULES:
            import_module(module)
        _loaded = True
