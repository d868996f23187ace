"""Importing Whoosh without urllib.request.

whoosh/compat.py, which every Whoosh module imports, does `from urllib.request
import urlretrieve` and never calls it; urllib.request brings http.client,
email and ssl: 0.05 s of CPU, a third of what a `newsreader search` process may
spend.  `install()` (called by reader/index/__init__.py, so before any Whoosh
module loads) puts a finder first on sys.meta_path that wraps the loading of
whoosh.compat alone: while it runs, `urllib.request` is a stub whose
`urlretrieve` imports the real module when called; the stub is removed again
at once, so any later `import urllib.request` gets the real one.  Nothing else
is imported or changed; when urllib.request is already loaded, nothing is
stubbed.
"""

from __future__ import annotations

import sys
import types
from importlib.abc import Loader, MetaPathFinder

_TARGET = "whoosh.compat"
_DEFERRED = "urllib.request"


def _urlretrieve(*args, **kwargs):
    import importlib

    return importlib.import_module(_DEFERRED).urlretrieve(*args, **kwargs)


class _Deferring(Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        stub = None
        if _DEFERRED not in sys.modules:
            stub = types.ModuleType(_DEFERRED)
            stub.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
            sys.modules[_DEFERRED] = stub
        try:
            self.loader.exec_module(module)
        finally:
            if stub is not None and sys.modules.get(_DEFERRED) is stub:
                del sys.modules[_DEFERRED]


class _Finder(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != _TARGET:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Deferring(spec.loader)
                return spec
        return None


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
