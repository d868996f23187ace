"""Folding's shortcuts change nothing: analysis.nfkc is NFKC whatever the text (its
compatibility forms replaced by their NFKD first, a quick check, CJK runs skipped),
and the t2s converters are handed from thread to thread, never made again."""

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings, strategies as st

from reader.index import analysis
from reader.index.analysis import _DECOMPOSED, fold, nfkc

# what news text holds, and what composes or reorders around it
_ALPHABET = st.sampled_from(
    list("aeAZ09 ,.-") + list("面上涨股市軟體") + list("，。：（）！？…　﹗︱①Ⅱ￥ｶﾞ") +
    ["\u0301", "\u0308", "\u0323", "\u3099", "\u309a", "\u00a0", "\u2002", "\ufb01",
     "\u1100", "\u1161", "\u11a8", "\uac00", "\u0bc6", "\u0bbe", "\u212b", "\uf900",
     "\u2f00", "\uffe3", "\u200b"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_nfkc_is_unicode_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_every_replaced_form_is_normalized_as_nfkc_would():
    for char in _DECOMPOSED:
        for text in (char, "e" + char, char + "\u0301", "面" + char + "涨"):
            assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_chinese_text_with_full_width_punctuation():
    text = "面上涨，股市（港股）：升１２％……　ＮＶＩＤＩＡ！"
    assert nfkc(text) == unicodedata.normalize("NFKC", text) == \
        "面上涨,股市(港股):升12%...... NVIDIA!"


def test_a_new_thread_folds_with_a_converter_made_before(monkeypatch):
    fold("軟體")  # one converter made, now idle
    made = []
    opencc_class = analysis.opencc.OpenCC
    monkeypatch.setattr(analysis.opencc, "OpenCC", lambda config: made.append(config) or
                        opencc_class(config))
    folded = []
    for _ in range(3):
        thread = threading.Thread(target=lambda: folded.append(fold("銀行上漲 ＡＢＣ")))
        thread.start()
        thread.join()
    assert folded == ["银行上涨 abc"] * 3 and made == []


def test_threads_at_once_each_fold_alike():
    texts = ["軟體%d 銀行" % n for n in range(200)]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(fold, texts)) == ["软体%d 银行" % n for n in range(200)]
