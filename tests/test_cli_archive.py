"""The `newsreader` command: version, help, scan, doctor, and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text

from reader.cli.main import main

REPO = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("newsreader 0.")


def test_help_names_every_subcommand():
    out = subprocess.run([sys.executable, "-m", "reader.cli.main", "--help"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    for name in ("read", "scan", "doctor", "index", "search", "state"):
        assert re.search(rf"^\s+{name}\s", out, re.M), name  # listed as a command


def test_scan_reports_what_it_did(capsys, tmp_path, sample_root):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "scan", "-q", str(sample_root))
    assert code == 0 and "0 updated, 0 removed" in out and "added" in out


def test_doctor_lists_broken_files_with_reasons(capsys, tmp_path, archive_factory):
    root = archive_factory({"ok.md": article_text("fine"), "bad.md": "---\ntitle: [\n---\n",
                            "bin.md": b"\x00\x01"})
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "doctor", str(root), "--json")
    assert code == 1
    reasons = {p["path"]: p["reason"] for p in json.loads(out)}
    assert set(reasons) == {"bad.md", "bin.md"}
    assert "invalid front matter" in reasons["bad.md"] and "binary" in reasons["bin.md"]


def test_doctor_on_a_clean_archive_exits_zero(capsys, tmp_path, sample_root):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "doctor", str(sample_root))
    assert code == 0 and out.startswith("0 of ")


def test_a_missing_archive_is_a_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "scan", str(tmp_path / "nope"))
    assert code == 2 and err.startswith("newsreader: no such archive folder")
    assert "Traceback" not in err


def test_a_bad_config_is_a_one_line_error(capsys, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("= nonsense")
    code, _, err = run(capsys, "--config", str(cfg), "scan")
    assert code == 2 and "cannot read config file" in err


def test_the_data_dir_environment_variable_is_honoured(capsys, tmp_path, sample_root, monkeypatch):
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "envdata"))
    run(capsys, "scan", "-q", str(sample_root))
    assert list((tmp_path / "envdata" / "archives").glob("*/cache.sqlite3"))


def test_global_options_may_follow_the_archive_or_the_command(capsys, tmp_path, sample_root):
    code, _, _ = run(capsys, "scan", "-q", str(sample_root), "--data-dir", str(tmp_path / "a"))
    assert code == 0 and list((tmp_path / "a").glob("archives/*/cache.sqlite3"))
    from reader.cli.main import _default_to_read, build_parser

    argv = _default_to_read([str(sample_root), "--data-dir", "X"], build_parser())
    args = build_parser().parse_args(argv)
    assert (args.command, args.archive, args.data_dir) == ("read", str(sample_root), "X")


def test_output_into_a_closed_pipe_ends_quietly(tmp_path, sample_root):
    """`newsreader ... | head`: the pipe's reader is gone before we write; no traceback."""
    child = subprocess.Popen(
        [sys.executable, "-m", "reader.cli.main", "--data-dir", str(tmp_path), "doctor",
         str(sample_root), "--json"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # before the child has imported anything, let alone written
    err = child.stderr.read().decode()
    assert child.wait() == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_a_progress_bar_on_a_terminal_ends_its_line_once():
    import io

    from reader.cli.progress import ProgressPrinter

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    bar = ProgressPrinter("Indexing", stream=out)
    for done in range(6):
        bar(done, 5)
    bar.finish()
    bar.finish()
    assert out.getvalue().endswith("5/5\n") and out.getvalue().count("\n") == 1
