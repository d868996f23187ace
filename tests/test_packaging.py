"""`pip install .` (the README's first command) installs every package of the reader:
the packages are listed by hand in pyproject.toml, and one left out installs a reader
that fails at its first import (reader.index.whoosh_patches once did)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_package_of_the_reader_is_installed():
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(settings["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts)
             for init in (REPO / "reader").rglob("__init__.py")}
    assert found - listed == set()
    mapped = settings["tool"]["setuptools"]["package-dir"]
    assert all((REPO / mapped[name]).is_dir() for name in listed - found)
