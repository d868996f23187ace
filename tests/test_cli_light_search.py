"""`newsreader search` as a light process: the modules a search does not need are never
imported (YAML: the hits come from stored fields, and a snippet's body is found without
parsing the front matter), and a body is found exactly as the full parse finds it."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text

from reader.archive import folder_stamps
from reader.archive.body_text import body_of
from reader.archive.frontmatter_io import split
from reader.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FILES = {f"news/wsj/{n}.md": article_text(f"nvidia story {n}", body=f"nvidia 美 body {n}\n")
         for n in range(5)}
NOT_FOR_A_SEARCH = ("yaml", "frontmatter", "reader.archive.frontmatter_io", "textual",
                    "reader.cli.stats_cmd", "reader.cli.watch_cmd", "reader.state")
PROBE = """
import json, sys
from reader.archive import folder_stamps
folder_stamps.RACY_NS = 0  # stamps taken now are trusted (tests/test_cli_update_check.py)
from reader.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("text", [
    "---\ntitle: a\n---\nthe body\n---\nafter a rule\n",
    "---\ntitle: a\n---",
    "+++\ntitle = 'a'\n+++\nthe body\n",
    '{"title": "a"}\n\nthe body\n',
    "---\ntitle: not closed\n",
    "no front matter at all\n---\n",
    "----  \ntitle: a\n-----\nbody with --- inside\n",
    "",
])
def test_a_body_is_found_as_the_full_parse_finds_it(text):
    assert body_of(text) == split(text)[1]


def test_a_search_imports_no_yaml_and_no_other_command(tmp_path, archive_factory, capsys,
                                                        monkeypatch):
    monkeypatch.setattr(folder_stamps, "RACY_NS", 0)  # as in the probe
    root = archive_factory(FILES)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "index", str(root), "-q"]) == 0
    capsys.readouterr()
    for query in ("nvidia", "美", "nvid*"):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", PROBE, "--data-dir", str(data), "search",
                              query, "--archive", str(root)],
                             capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        lines = out.stdout.splitlines()
        report = json.loads(lines[-1])
        assert report["code"] == 0 and "5 of 5 matches" in lines[-2]
        imported = [m for m in report["modules"]
                    if any(m == name or m.startswith(name + ".") for name in NOT_FOR_A_SEARCH)]
        assert not imported, imported


COMPILED = """
import json, re, sys
from re import _compiler
compiled, compile_ = [], _compiler.compile
def counted(pattern, flags=0):
    compiled.append(pattern if isinstance(pattern, str) else repr(pattern))
    return compile_(pattern, flags)
_compiler.compile = counted
from reader.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "compiled": compiled}))
"""


def test_a_word_search_compiles_no_pattern_of_the_indexing_or_the_text_check(
        tmp_path, archive_factory, capsys):
    """A CJK character class costs 0.5-1.7 ms to compile: the patterns that only the
    indexing, the text check or a prefix walk use are compiled when first used."""
    from reader.index import analysis, set_check
    from reader.index.whoosh_patches import prefix_records

    root = archive_factory({f"news/wsj/{n}.md": article_text(f"nvidia story {n}",
                                                              body=f"nvidia body {n}\n")
                            for n in range(5)})  # English: a snippet glues no CJK either
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "index", str(root), "-q"]) == 0
    capsys.readouterr()
    out = subprocess.run([sys.executable, "-c", COMPILED, "--data-dir", str(data), "search",
                          "nvidia", "--archive", str(root), "--no-update"],
                         capture_output=True, text=True, cwd=ROOT, check=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    report = json.loads(out.stdout.splitlines()[-1])
    assert report["code"] == 0
    unused = (analysis.GLUED, analysis.WORD, analysis._GLUE_POINT, set_check._WORD,
              prefix_records._IDS)
    assert not {p.pattern if isinstance(p.pattern, str) else repr(p.pattern)
                for p in unused} & set(report["compiled"])


COLLECTED = """
import gc, json, sys
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
from reader.archive import folder_stamps
folder_stamps.RACY_NS = 0
from reader.cli.main import main
sys.argv[0] = "newsreader"
before = len(collections)
code = main()  # this process's own command line
print(json.dumps({"code": code, "collections": len(collections) - before,
                  "frozen": gc.get_freeze_count(), "enabled": gc.isenabled()}))
"""


def test_a_search_process_never_collects_and_sets_everything_aside(
        tmp_path, archive_factory, capsys):
    """Each collection walks every object the imports made, and the last one runs at
    exit: a search's own process runs without them (`_one_shot`); `index`, which may
    run for hours, and a caller's main([...]) keep collecting."""
    root = archive_factory(FILES)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "index", str(root), "-q"]) == 0
    capsys.readouterr()
    assert gc.isenabled()  # a caller's main([...]) leaves its collector alone

    def probe(*command: str) -> dict:
        out = subprocess.run([sys.executable, "-c", COLLECTED, "--data-dir", str(data),
                              *command], capture_output=True, text=True, cwd=ROOT,
                             check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        return json.loads(out.stdout.splitlines()[-1])

    search = probe("search", "nvidia", "--archive", str(root))
    assert search["code"] == 0 and search["collections"] == 0 and search["frozen"] > 10_000
    index = probe("index", str(root), "-q")
    assert index["code"] == 0 and index["enabled"] and index["frozen"] == 0
