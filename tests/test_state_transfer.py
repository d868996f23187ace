"""Export and import: a stable documented JSON, merged newer-wins, malformed input refused."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from reader.state import StateStore, TransferError
from reader.state.model import iso_to_us, us_to_datetime, us_to_iso
from reader.state.transfer import load_document, parse_document, write_document
from test_state_support import make_article


@pytest.fixture
def two(tmp_path):
    with StateStore.open(tmp_path / "a.sqlite3") as a, StateStore.open(tmp_path / "b.sqlite3") as b:
        yield a, b


def entry(doc, path):
    return next(e for e in doc["articles"] if e["path"] == path)


def document(*articles):
    return {"format": "newsreader-state", "version": 1, "articles": list(articles)}


def set_raw_times(store_path, path, read_at, star_at=None):
    """Put times in the file as an older newsreader could have, bypassing every check."""
    con = sqlite3.connect(store_path)
    try:
        with con:
            con.execute("UPDATE marks SET read_at = ?, star_at = ? WHERE path = ?",
                        (read_at, star_at, path))
    finally:
        con.close()


FAR_FUTURE = "9999-12-31T23:59:59-12:00"  # past datetime's range once in UTC
FAR_FUTURE_US = iso_to_us(FAR_FUTURE)
EPOCH_ISO = "1970-01-01T00:00:00.000000Z"


def test_export_is_the_documented_shape(two):
    a, _ = two
    a.mark_read([make_article("x/1.md", title="Héadline 標題", link="https://e.org/1")])
    a.toggle_star("x/2.md")
    doc = a.export_state()
    assert (doc["format"], doc["version"]) == ("newsreader-state", 1)
    assert [e["path"] for e in doc["articles"]] == ["x/1.md", "x/2.md"]
    first = entry(doc, "x/1.md")
    assert list(first) == ["path", "title", "link", "read", "read_changed", "starred",
                           "starred_changed"]
    assert first["title"] == "Héadline 標題" and first["read"] is True
    assert first["read_changed"].endswith("Z") and first["starred_changed"] is None
    assert entry(doc, "x/2.md")["starred"] is True


def test_written_export_is_valid_stable_json(two):
    a, _ = two
    a.mark_read(["b.md", "a.md", "標題.md"])
    doc = a.export_state()
    outs = []
    for _ in range(2):
        out = io.StringIO()
        write_document(doc, out)
        outs.append(out.getvalue())
    assert outs[0] == outs[1] and "標題" in outs[0]
    assert json.loads(outs[0]) == doc
    empty = io.StringIO()
    write_document(dict(doc, articles=[]), empty)
    assert json.loads(empty.getvalue())["articles"] == []


def test_round_trip_reproduces_the_state(two):
    a, b = two
    a.mark_read([f"{i}.md" for i in range(50)])
    a.mark_read(["3.md"], read=False)
    for p in ("1.md", "7.md", "99.md"):
        a.toggle_star(p)
    report = b.import_state(a.export_state())
    assert (b.read_set(), b.starred_set()) == (a.read_set(), a.starred_set())
    assert report.changed == 50 and report.kept_local == 0
    assert b.mark("3.md").read_at == a.mark("3.md").read_at  # times travel too
    assert b.import_state(a.export_state()).changed == 0


def test_merge_newer_wins_both_ways(two):
    a, b = two
    a.mark_read(["shared.md"])            # older: a says read
    b.mark_read(["shared.md"])
    b.mark_read(["shared.md"], read=False)  # newer: b says unread
    b.toggle_star("only-b.md")
    a.toggle_star("only-b.md")            # newer star on a ...
    a.toggle_star("only-b.md")            # ... and newer unstar on a
    doc_a, doc_b = a.export_state(), b.export_state()
    report_a = a.import_state(doc_b)
    report_b = b.import_state(doc_a)
    for store in (a, b):
        assert not store.is_read("shared.md")
        assert not store.is_starred("only-b.md")
    assert report_a.changed == 1 and report_b.kept_local == 1
    assert (a.read_set(), a.starred_set()) == (b.read_set(), b.starred_set())


def test_fields_merge_separately(two):
    a, b = two
    a.mark_read(["x.md"])    # a reads it
    b.toggle_star("x.md")    # b stars it, later
    a.import_state(b.export_state())
    assert a.is_read("x.md") and a.is_starred("x.md")


def test_a_tie_keeps_the_local_state(two):
    a, _ = two
    a.mark_read(["x.md"])
    doc = a.export_state()
    entry(doc, "x.md")["read"] = False  # same time, other value
    report = a.import_state(doc)
    assert a.is_read("x.md") and report.kept_local == 1


def test_import_is_one_undoable_change(two):
    a, b = two
    b.mark_read(["keep.md"])
    a.mark_read(["n1.md", "n2.md", "keep.md"])
    b.import_state(a.export_state())
    assert b.read_set() == {"keep.md", "n1.md", "n2.md"}
    assert b.undo().restored == 3
    assert b.read_set() == {"keep.md"}


def test_unknown_path_matches_an_unambiguous_link_and_title(two):
    a, b = two
    old = make_article("old/layout/1.md", title="Moved", link="https://e.org/m")
    twin1 = make_article("old/layout/2.md", title="Twin", link="https://e.org/t")
    twin2 = make_article("old/layout/3.md", title="Twin", link="https://e.org/t")
    a.mark_read([old, twin1, twin2])
    archive = [make_article("new/1.md", title="Moved", link="https://e.org/m"),
               make_article("new/2.md", title="Twin", link="https://e.org/t"),
               make_article("new/3.md", title="Twin", link="https://e.org/t")]
    report = b.import_state(a.export_state(), articles=archive)
    assert report.matched_by_link == 1
    assert report.unknown_paths == ["old/layout/2.md", "old/layout/3.md"]
    assert b.is_read("new/1.md")
    assert not b.is_read("new/2.md") and not b.is_read("new/3.md")  # ambiguous: never guessed
    assert b.is_read("old/layout/2.md")  # kept under its own path for later


@pytest.mark.parametrize("doc, message", [
    ([], "not a newsreader state export"),
    ({"format": "other"}, "format"),
    ({"format": "newsreader-state", "version": 2, "articles": []}, "upgrade"),
    ({"format": "newsreader-state", "version": "1", "articles": []}, "version"),
    ({"format": "newsreader-state", "version": 1}, "articles"),
    ({"format": "newsreader-state", "version": 1, "articles": [{"read": True}]}, "path"),
    ({"format": "newsreader-state", "version": 1, "articles": [{"path": "/etc/x"}]}, "relative"),
    ({"format": "newsreader-state", "version": 1,
      "articles": [{"path": "a.md", "read": "yes"}]}, "true or false"),
    ({"format": "newsreader-state", "version": 1,
      "articles": [{"path": "a.md", "read": True, "read_changed": "yesterday"}]}, "ISO 8601"),
    ({"format": "newsreader-state", "version": 1,
      "articles": [{"path": "a.md", "read": True, "read_changed": "2024-01-01T00:00:00"}]},
     "ISO 8601"),
    ({"format": "newsreader-state", "version": 1,
      "articles": [{"path": "a.md"}, {"path": "a.md"}]}, "twice"),
    (document({"path": "a.md", "read": True, "read_changed": FAR_FUTURE}),
     r'articles\[0\]: "read_changed" must lie between 1970-01-01'),
    (document({"path": "a.md"}, {"path": "b.md", "starred": True,
                                 "starred_changed": "2999-01-01T00:00:00Z"}),
     r'articles\[1\]: "starred_changed" must lie between'),
    (document({"path": "a.md", "read": True, "read_changed": "1969-12-31T23:59:59.999999Z"}),
     r'articles\[0\]: "read_changed" must lie between'),
    (document({"path": "a.md", "read": True, "read_changed": "0001-01-01T00:00:00+14:00"}),
     r'articles\[0\]: "read_changed" must lie between'),
], ids=["list", "format", "newer", "version-type", "no-articles", "no-path", "absolute",
        "read-type", "bad-time", "naive-time", "duplicate", "past-datetime-range",
        "far-future", "before-1970", "before-year-1-in-utc"])
def test_malformed_documents_are_refused_before_any_write(two, doc, message):
    a, _ = two
    a.mark_read(["x.md"])
    with pytest.raises(TransferError, match=message):
        if isinstance(doc, list):
            load_document(json.dumps(doc))
        a.import_state(doc)
    assert a.read_set() == {"x.md"}


def test_a_change_may_be_dated_at_most_a_day_past_this_machines_clock(two):
    now = iso_to_us("2025-02-14T10:00:00Z")
    day = timedelta(days=1) // timedelta(microseconds=1)
    edge = document({"path": "a.md", "read": True, "read_changed": us_to_iso(now + day)},
                    {"path": "b.md", "read": True, "read_changed": EPOCH_ISO})
    assert [e.fields for e in parse_document(edge, now)] == [{0: (True, now + day)},
                                                              {0: (True, 0)}]
    beyond = document({"path": "a.md", "read": True, "read_changed": us_to_iso(now + day + 1)})
    with pytest.raises(TransferError, match=r"articles\[0\].*2025-02-14T10:00:00.000000Z"):
        parse_document(beyond, now)
    a, _ = two  # the store checks against the real clock
    soon = datetime.now(timezone.utc) + timedelta(hours=1)
    later = datetime.now(timezone.utc) + timedelta(days=2)
    a.import_state(document({"path": "soon.md", "read": True,
                             "read_changed": soon.isoformat()}))
    with pytest.raises(TransferError, match="check the clock"):
        a.import_state(document({"path": "x.md", "read": True, "read_changed": EPOCH_ISO},
                                {"path": "later.md", "read": True,
                                 "read_changed": later.isoformat()}))
    assert a.read_set() == {"soon.md"}  # nothing of the refused document was written


def test_export_survives_out_of_range_times_already_in_a_store(tmp_path):
    """A store written before imports were checked may hold any integer: the export must
    still work (it is the only backup), write times an import accepts, and say so."""
    with StateStore.open(tmp_path / "old.sqlite3") as old:
        old.mark_read(["future.md", "past.md", "huge.md", "fine.md"])
        old.toggle_star("past.md")
        set_raw_times(tmp_path / "old.sqlite3", "future.md", FAR_FUTURE_US)
        set_raw_times(tmp_path / "old.sqlite3", "past.md", -1, -2**63)
        set_raw_times(tmp_path / "old.sqlite3", "huge.md", 2**63 - 1)
        fine_at = old.mark("fine.md").read_at
        doc = old.export_state()
    for path in ("future.md", "past.md", "huge.md"):
        assert entry(doc, path)["read"] is True and entry(doc, path)["read_changed"] == EPOCH_ISO
    assert entry(doc, "past.md")["starred_changed"] == EPOCH_ISO
    assert entry(doc, "fine.md")["read_changed"] == fine_at.isoformat().replace("+00:00", "Z")
    notes = doc["notes"]
    assert len(notes) == 4 and all(n.endswith(f"; written as {EPOCH_ISO}") for n in notes)
    assert notes[0].startswith(f"future.md: read_changed was {FAR_FUTURE_US} microseconds "
                               "since the epoch, outside the times an import accepts")
    assert notes[2].startswith("past.md: read_changed was 1969-12-31T23:59:59.999999Z,")
    out = io.StringIO()
    write_document(doc, out)
    assert json.loads(out.getvalue()) == doc
    with StateStore.open(tmp_path / "new.sqlite3") as new:  # the backup restores
        new.import_state(json.loads(out.getvalue()))
        assert new.read_set() == {"future.md", "past.md", "huge.md", "fine.md"}
        assert new.starred_set() == {"past.md"}
        assert "notes" not in new.export_state()


def test_a_stored_out_of_range_time_counts_as_the_epoch_in_a_merge(tmp_path):
    with StateStore.open(tmp_path / "a.sqlite3") as a, \
            StateStore.open(tmp_path / "b.sqlite3") as b:
        a.mark_read(["x.md", "y.md"])
        set_raw_times(tmp_path / "a.sqlite3", "x.md", FAR_FUTURE_US)
        set_raw_times(tmp_path / "a.sqlite3", "y.md", FAR_FUTURE_US)
        b.mark_read(["x.md"])
        b.mark_read(["x.md"], read=False)  # a real change: it wins over a's far future
        report = a.import_state(b.export_state())
        assert not a.is_read("x.md") and report.changed == 1
        assert a.mark("x.md").read_at == b.mark("x.md").read_at
        b.import_state(a.export_state())
        assert (a.read_set(), b.read_set()) == ({"y.md"}, {"y.md"})
        assert a.import_state(document({"path": "y.md", "read": False,
                                        "read_changed": EPOCH_ISO})).kept_local == 1  # a tie


def test_times_out_of_datetimes_range_clamp_to_one_every_zone_can_show():
    for us in (FAR_FUTURE_US, 2**63 - 1, -2**63, iso_to_us("0001-01-01T00:00:00+14:00")):
        when = us_to_datetime(us)
        for hours in (-23, 14, 23):
            when.astimezone(timezone(timedelta(hours=hours, minutes=59)))
    assert us_to_datetime(2**63 - 1) == us_to_datetime(FAR_FUTURE_US)
    assert us_to_datetime(2**63 - 1).year == 9999 and us_to_datetime(-2**63).year == 1


def test_malformed_json_names_the_place():
    with pytest.raises(TransferError, match=r"not valid JSON \(line 2, column"):
        load_document('{"format":\n  oops}', "state.json")


def test_time_format_round_trips():
    us = iso_to_us("2025-02-14T10:00:00.123456Z")
    assert us_to_iso(us) == "2025-02-14T10:00:00.123456Z"
    assert iso_to_us("2025-02-14T18:00:00.123456+08:00") == us
    assert iso_to_us("2025-02-14T10:00:01Z") - us == timedelta(seconds=1) // timedelta(
        microseconds=1) - 123456


# -- the command line -----------------------------------------------------------------

def newsreader_state(*argv, settings):
    """Run `newsreader state ...` in this process, through its own parser."""
    import argparse

    from reader.cli import state_cmds

    parser = argparse.ArgumentParser(prog="newsreader")
    state_cmds.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["state", *argv])
    return args.func(args, settings)


@pytest.fixture
def small_archive(archive_factory):
    from conftest import article_text

    return archive_factory({"content/en/news/s/1.en.md": article_text("One"),
                            "content/en/news/s/2.en.md": article_text("Two")})


def test_cli_export_then_import_on_another_machine(tmp_path, small_archive, settings, capsys):
    from dataclasses import replace

    from reader.archive import Archive

    one, two = "content/en/news/s/1.en.md", "content/en/news/s/2.en.md"
    archive = Archive.open(small_archive, settings)
    archive.scan()
    with StateStore.open(archive.data_dir / "state.sqlite3") as store:
        store.mark_read([one])
        store.toggle_star(two)
    out = tmp_path / "export.json"
    assert newsreader_state("export", str(out), "--archive", str(small_archive),
                            settings=settings) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert entry(doc, one)["title"] == "One"  # titles filled in from the archive's cache
    capsys.readouterr()
    newsreader_state("export", "--archive", str(small_archive), settings=settings)
    assert json.loads(capsys.readouterr().out)["articles"] == doc["articles"]

    machine2 = replace(settings, data_root=tmp_path / "machine2")
    assert newsreader_state("import", str(out), "--archive", str(small_archive),
                            settings=machine2) == 0
    assert "2 changed" in capsys.readouterr().out
    with StateStore.open(Archive.open(small_archive, machine2).data_dir / "state.sqlite3") as s:
        assert s.read_set() == {one} and s.starred_set() == {two}


def test_cli_refuses_a_far_future_import_and_export_keeps_working(tmp_path, small_archive,
                                                                   settings, capsys):
    """The reviewer's case: this file used to be imported ("1 changed"), after which every
    export failed with an OverflowError; a store already holding such a time must export."""
    from reader.archive import Archive
    from reader.cli.common import CommandError

    one = "content/en/news/s/1.en.md"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document({"path": one, "read": True,
                                        "read_changed": FAR_FUTURE})), encoding="utf-8")
    with pytest.raises(CommandError, match=r'articles\[0\]: "read_changed" must lie between'):
        newsreader_state("import", str(bad), "--archive", str(small_archive), settings=settings)
    state_file = Archive.open(small_archive, settings).data_dir / "state.sqlite3"
    with StateStore.open(state_file) as store:
        assert store.read_set() == set()
        store.mark_read([one])
    set_raw_times(state_file, one, FAR_FUTURE_US)  # as the old import left it
    capsys.readouterr()
    assert newsreader_state("export", "--archive", str(small_archive), settings=settings) == 0
    doc = json.loads(capsys.readouterr().out)
    assert entry(doc, one)["read_changed"] == EPOCH_ISO and doc["notes"][0].startswith(one)


def test_cli_export_before_any_mark_creates_no_state_file(small_archive, settings, capsys):
    from reader.archive import Archive

    assert newsreader_state("export", "--archive", str(small_archive), settings=settings) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == []
    assert not (Archive.open(small_archive, settings).data_dir / "state.sqlite3").exists()


def test_cli_import_of_malformed_json_is_one_clear_error(tmp_path, small_archive, settings):
    from reader.cli.common import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.json is not valid JSON"):
        newsreader_state("import", str(bad), "--archive", str(small_archive), settings=settings)
    with pytest.raises(CommandError, match="cannot read"):
        newsreader_state("import", str(tmp_path / "missing.json"), "--archive",
                         str(small_archive), settings=settings)
