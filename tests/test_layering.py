"""The import contracts of pyproject.toml's [tool.importlinter] hold: the core (archive,
index, state, config) never imports Textual, and no reader module is part of an import cycle.

import-linter runs through this interpreter (no `lint-imports` script on PATH needed, so a
venv that is not activated works too), on this checkout's `reader`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"
CONTRACTS = 2


def lint_imports() -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": os.defpath}  # nothing of a venv's bin on it
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{CONTRACTS} kept, 0 broken" in done.stdout, done.stdout
