"""The commands count as the reader's tree does: `newsreader searches` counted each copy
of a story while the tree counts a story once (`count_by = "stories"`, the default),
and `newsreader search` said "1 of 3 matches" for one story of three copies."""

from __future__ import annotations

import json

from conftest import article_text

from reader.cli.main import main as newsreader

BODY = ("The central bank held interest rates steady on Wednesday and signalled that it "
        "expects two cuts later this year, as inflation cooled for a third month in a row "
        "and the labour market showed signs of slowing. Markets rallied on the news.\n")
TITLE = "Central bank holds rates steady and signals two cuts"
SEARCHES = '[[searches]]\nname = "Rates"\nquery = "central"\n'


def archive(archive_factory):
    files = {f"en/news/{source}/rates.en.md": article_text(TITLE, f"2025-02-20 {h}:00:00",
                                                             BODY)
             for source, h in (("reuters", 9), ("tradingview", 10), ("investing", 11))}
    files["en/news/wire/rain.en.md"] = article_text("Rain all week", "2025-02-21 10:00:00",
                                                    "The central valley expects rain.\n")
    return str(archive_factory(files))


def run(capsys, settings, config: str, *args) -> str:
    settings.config_path.write_text(config, encoding="utf-8")
    code = newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), *args])
    assert code == 0
    return capsys.readouterr().out


def test_searches_counts_stories_and_says_so(archive_factory, settings, capsys):
    root = archive(archive_factory)
    row, = json.loads(run(capsys, settings, SEARCHES, "searches", root, "--json"))
    assert (row["total"], row["unread"]) == (2, 2)  # it said 4 and 4
    assert row["counted"] == "stories"
    out = run(capsys, settings, SEARCHES, "searches", root, "--no-update")
    assert "2 unread       2 total stories" in out


def test_searches_by_article_counts_every_copy(archive_factory, settings, capsys):
    root = archive(archive_factory)
    config = 'count_by = "articles"\n' + SEARCHES
    row, = json.loads(run(capsys, settings, config, "searches", root, "--json"))
    assert (row["total"], row["unread"], row["counted"]) == (4, 4, "articles")
    assert "4 total  central" in run(capsys, settings, config, "searches", root, "--no-update")


def test_search_says_it_lists_stories_of_matching_articles(archive_factory, settings,
                                                          capsys):
    root = archive(archive_factory)
    out = run(capsys, settings, "", "search", "central", "--archive", root, "--limit", "0")
    assert out.splitlines()[-1].startswith("2 stories of 4 matching articles (")
    out = run(capsys, settings, "", "search", "central", "--archive", root, "--no-group",
              "--no-update")
    assert out.splitlines()[-1].startswith("4 of 4 matches (")


def test_the_search_footer_writes_big_totals_as_the_reader_does(capsys):
    """'2 stories of 3101 matching articles' beside the reader's 3,101 (atk5)."""
    from types import SimpleNamespace

    from reader.cli.index_cmds import _print_hits

    results = SimpleNamespace(hits=[], total=3101, total_exact=True, seconds=0.01)
    _print_hits(results, by_story=True)
    _print_hits(results)
    assert capsys.readouterr().out.splitlines() == [
        "0 stories of 3,101 matching articles (10 ms)", "0 of 3,101 matches (10 ms)"]
