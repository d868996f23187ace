"""The import contracts of pyproject.toml's [tool.importlinter] hold: the core (session,
archive, index, state, config) never imports Textual, each layer imports only the layers
below it (ui > session > index | state > archive > config | textsafe), and no reader
module is part of an import cycle.

import-linter runs through this interpreter (no `lint-imports` script on PATH needed, so a
venv that is not activated works too), on this checkout's `reader`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"
CONTRACTS = 3


def lint_imports() -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": os.defpath}  # nothing of a venv's bin on it
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{CONTRACTS} kept, 0 broken" in done.stdout, done.stdout


def test_every_part_of_reader_sits_in_a_layer():
    """A new package or top-level module outside the layers would escape the contract."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    layered = {name.strip() for layer in layers for name in layer.split("|")}
    parts = {f"reader.{p.stem}" for p in (REPO / "reader").iterdir()
             if (p.is_dir() and (p / "__init__.py").exists())
             or (p.suffix == ".py" and p.stem != "__init__")}
    assert parts - {"reader.sample_feed", "reader.styles"} <= layered, parts - layered
