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


def test_a_new_thread_reuses_the_opencc_converters(monkeypatch):
    """The reader's searches run in a pool's threads: the highlights of a Chinese query
    (s2t, s2tw, s2hk) must not make converters again in each one (0.13-0.2 s a thread)."""
    import threading

    import opencc

    from reader.index.analysis import script_variants

    def in_a_thread(work):
        out = []
        thread = threading.Thread(target=lambda: out.append(work()))
        thread.start()
        thread.join()
        return out[0]

    expected = in_a_thread(lambda: script_variants("軟體銀行"))
    made = []

    class Counting(opencc.OpenCC):
        def __init__(self, config):
            made.append(config)
            super().__init__(config)

    monkeypatch.setattr(opencc, "OpenCC", Counting)
    assert in_a_thread(lambda: script_variants("軟體銀行")) == expected
    assert {"銀行", "银行"} <= in_a_thread(lambda: script_variants("银行"))
    assert made == []
