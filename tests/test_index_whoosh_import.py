"""Whoosh is imported without urllib.request and whoosh.lang.morph_en
(reader/index/whoosh_import.py), and the real modules are what any later import or call
gets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = """
import sys
import reader.index.searcher
import whoosh.compat
assert "urllib.request" not in sys.modules, "urllib.request was imported"
assert whoosh.compat.urlretrieve.__module__ == "reader.index.whoosh_import"
import urllib.request
assert urllib.request.urlopen and urllib.request.Request
assert sys.modules["urllib.request"] is urllib.request and urllib.request.__file__
assert "whoosh.lang.morph_en" not in sys.modules, "morph_en was imported"
from whoosh.query import terms
assert "running" in terms.variations("run")  # the real table, loaded by the first call
assert sys.modules["whoosh.lang.morph_en"].variations is not terms.variations
print("ok")
"""


def test_whoosh_loads_without_urllib_request_and_the_real_one_comes_later():
    done = subprocess.run([sys.executable, "-c", CODE], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
