"""A query as it is being typed (the reader's search box): the last Latin word is a prefix
until a space ends it; the command line keeps whole words."""

from zoneinfo import ZoneInfo

import pytest

from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.query import parse_query
from reader.archive import Archive
from tests.conftest import article_text, kinds

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("typed, expected", [
    ("nvid", ("prefix", "nvid")),
    ("nvidia ", ("word", "nvidia")),  # a space ends the word
    ("nvidia earn", ("and", [("word", "nvidia"), ("prefix", "earn")])),
    ("Semic", ("prefix", "semic")),  # folded as ever
    ("title:nvid", ("prefix", "nvid")),  # a text field: the word is still a prefix
    ('"interest rates"', ("phrase", "interest rates")),  # a closed phrase is whole
    ('"interest rat', ("and", [("word", "interest"), ("prefix", "rat")])),  # open: words
    ("ai", ("word", "ai")),  # one or two letters stay a word: as prefixes they match most
    ("nvidia e", ("and", [("word", "nvidia"), ("word", "e")])),
    ("gold -cryp", ("and", [("word", "gold"), ("not", [("word", "cryp")])])),  # whole
    ("gold OR", ("word", "gold")),  # an operator is no prefix
    ("英伟", ("run", "英伟")),  # Chinese: found by characters and pairs already
    ("nvidia芯", ("and", [("word", "nvidia"), ("run", "芯")])),
])
def test_the_last_latin_word_is_a_prefix_while_typing(typed, expected):
    assert kinds(parse_query(typed, TZ, typing=True).text) == expected


def test_filter_values_stay_whole_and_the_command_line_keeps_whole_words():
    parsed = parse_query("gold tag:ai", TZ, typing=True)
    assert kinds(parsed.text) == ("word", "gold")
    assert [(f.field, f.value) for f in parsed.filters] == [("tag", "ai")]
    assert kinds(parse_query("nvid", TZ).text) == ("word", "nvid")
    assert kinds(parse_query('title:"nvidia ea"', TZ, typing=True).text) == \
        kinds(parse_query('title:"nvidia ea"', TZ).text)  # closed by its quote


def test_the_index_finds_a_half_typed_word_only_while_typing(archive_factory, settings):
    root = archive_factory({
        "a.md": article_text("Nvidia earnings beat", body="Chips sold well.\n"),
        "b.md": article_text("Gold prices", body="Nothing about chips.\n"),
    })
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        assert index.search("nvid", typing=True).paths == ["a.md"]
        assert index.search("nvidia earn", typing=True).paths == ["a.md"]
        assert index.search("nvid").paths == []  # the CLI: whole words
        assert index.search("nvid ", typing=True).paths == []
    finally:
        index.close()
        archive.close()


def test_by_relevance_a_prefix_ranks_its_whole_word_first_then_longer_words_newest_first(
        archive_factory, settings):
    root = archive_factory({
        "goldman-old.md": article_text("Goldman hires", "2025-01-01 10:00:00", "Goldman.\n"),
        "goldman-new.md": article_text("Goldman fires", "2025-03-01 10:00:00", "Goldman.\n"),
        "gold-once.md": article_text("Markets", "2025-02-01 10:00:00",
                                     "Gold was flat. " + "Other news. " * 30 + "\n"),
        "gold-title.md": article_text("Gold and gold", "2025-01-15 10:00:00", "Gold.\n"),
    })
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        for query, typing in (("gold", True), ("gold*", False)):
            for limit in (0, 2, 3):
                paths = index.search(query, limit=limit, sort="relevance", typing=typing).paths
                assert paths == ["gold-title.md", "gold-once.md", "goldman-new.md",
                                 "goldman-old.md"][:limit or None]
        assert index.search("gold", sort="date", typing=True).paths == [
            "goldman-new.md", "gold-once.md", "gold-title.md", "goldman-old.md"]
    finally:
        index.close()
        archive.close()


def test_a_newer_keystroke_stops_a_prefix_being_expanded_and_nothing_partial_is_kept(
        archive_factory, settings):
    root = archive_factory({f"{i}.md": article_text(f"Gold{i} news", body="x\n")
                            for i in range(3)})
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    asked = []
    try:
        stopped = index.search("gold", typing=True, cancelled=lambda: asked.append(1) or True)
        assert stopped.cancelled and stopped.paths == [] and asked
        assert not any(key[0] == "prefix" for key in index._filters)  # stopped, not kept
        assert len(index.search("gold", typing=True).paths) == 3
    finally:
        index.close()
        archive.close()


def test_a_keystrokes_first_page_checks_a_few_candidates_and_the_list_follows(
        archive_factory, settings, monkeypatch):
    """`面上涨`: most candidates hold 面上 and 上涨 apart; the first page stops checking
    after FIRST_PAGE_CHECKS of them once it has a hit, the complete list checks them all."""
    from reader.session import search as session_search

    files = {f"{n:02d}.md": article_text(
        f"第{n}条", f"2025-01-{1 + n:02d} 10:00:00",
        "价格面上涨。\n" if n % 4 == 0 else "表面上，股价上涨。\n") for n in range(24)}
    archive = Archive.open(archive_factory(files), settings)
    update_index(archive)
    monkeypatch.setattr(session_search, "FIRST_PAGE_CHECKS", 6)
    searcher = session_search.Searcher(archive)
    try:
        first = searcher.search("面上涨", limit=10)
        full = searcher.search("面上涨", limit=0)
        assert full.complete and full.paths == [f"{n:02d}.md" for n in (20, 16, 12, 8, 4, 0)]
        assert not first.complete and first.paths == full.paths[:1]  # 23 to 18 checked
    finally:
        searcher.close()
        archive.close()
