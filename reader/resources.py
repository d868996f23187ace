"""Files installed with the package: the sample feed and the app-wide styles.

In a checkout they sit at the top of the repository; in an installed wheel
they sit inside the package (see pyproject's package-dir mapping).
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this install")


def sample_feed_path() -> Path:
    return _find("sample_feed")


def styles_path() -> Path:
    return _find("styles")
