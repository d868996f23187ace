"""Importing Whoosh without modules it imports and a search never calls.

whoosh/compat.py, which every Whoosh module imports, does `from urllib.request
import urlretrieve` and never calls it; urllib.request brings http.client,
email and ssl: 0.05 s of CPU, a third of what a `newsreader search` process may
spend.  whoosh/query/terms.py does `from whoosh.lang.morph_en import variations`
(a table of English word forms, 4-6 ms to load) for its Variations query, which
newsreader never builds.  `install()` (called by reader/index/__init__.py, so
before any Whoosh module loads) puts a finder first on sys.meta_path that wraps
the loading of those two modules alone (DEFERRED): while one runs, the module it
would import is a stub whose functions import the real module when called; the
stub is removed again at once, so any later import gets the real one.  Nothing
else is imported or changed; when the module is already loaded, nothing is
stubbed.
"""

from __future__ import annotations

import sys
import types
from importlib.abc import Loader, MetaPathFinder

DEFERRED = {  # a Whoosh module -> (the module it imports and never needs, its names)
    "whoosh.compat": ("urllib.request", ("urlretrieve",)),
    "whoosh.query.terms": ("whoosh.lang.morph_en", ("variations",)),
}


def _forwarding(module: str, name: str):
    def call(*args, **kwargs):
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


class _Deferring(Loader):
    def __init__(self, loader, deferred: str, names: tuple[str, ...]):
        self.loader, self.deferred, self.names = loader, deferred, names

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        stub, deferred = None, self.deferred
        if deferred not in sys.modules:
            stub = types.ModuleType(deferred)
            for name in self.names:
                setattr(stub, name, _forwarding(deferred, name))
            sys.modules[deferred] = stub
        try:
            self.loader.exec_module(module)
        finally:
            if stub is not None and sys.modules.get(deferred) is stub:
                del sys.modules[deferred]


class _Finder(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name not in DEFERRED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Deferring(spec.loader, *DEFERRED[name])
                return spec
        return None


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
