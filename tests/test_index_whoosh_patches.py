"""The Whoosh patches are checked against the one Whoosh version they were written for."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh

from reader.index.whoosh_patches import WhooshVersionError, check_version

REPO = Path(__file__).resolve().parents[1]
MESSAGE = ("newsreader needs Whoosh 2.7.4 exactly (found 2.7.5): its index code patches "
           "Whoosh internals")


def test_the_pinned_version_passes():
    check_version()
    check_version((2, 7, 4))


def test_any_other_version_fails_on_import_with_one_clear_line(monkeypatch):
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    with pytest.raises(WhooshVersionError) as raised:
        check_version()
    assert str(raised.value) == MESSAGE
    for name in [n for n in sys.modules if n.startswith("reader.index.whoosh_patches")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(whoosh, "__version__", (2, 8, 0))
    with pytest.raises(SystemExit, match=r"found 2\.8\.0\)"):  # its class is new: re-imported
        importlib.import_module("reader.index.whoosh_patches.codec")


def test_the_cli_prints_the_version_error_as_one_line():
    code = ("import whoosh; whoosh.__version__ = (2, 7, 5)\n"
            "from reader.cli.main import main\n"
            "main(['index', '--help'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == MESSAGE + "\n"
