"""Folding and term counting: what the index and the queries agree on."""

from reader.index.analysis import cjk_terms, count_terms, fold, query_tokens, stem


def test_fold_converts_traditional_width_and_case():
    assert fold("英偉達 ＮＶＩＤＩＡ Stocks") == "英伟达 nvidia stocks"
    assert fold("zero\u200bwidth") == "zerowidth"


def test_count_terms_gives_characters_pairs_and_stemmed_words():
    counts = count_terms(fold("英偉達股價，英伟达 Nvidia stocks companies"))
    assert counts["英伟"] == 2 and counts["伟达"] == 2 and counts["英"] == 2
    assert "价，" not in counts and "价英" not in counts  # pairs never cross punctuation
    assert counts["nvidia"] == 1 and counts["stock"] == 1 and counts["company"] == 1


def test_light_stemmer():
    assert [stem(w) for w in ("stocks", "companies", "boxes", "business", "bus", "is")] == \
        ["stock", "company", "box", "business", "bus", "is"]


def test_query_pieces_and_cjk_terms():
    assert query_tokens(fold("AI芯片")) == ["ai", "芯片"]
    assert cjk_terms("股") == ["股"]
    assert cjk_terms("英伟达") == ["英伟", "伟达"]
