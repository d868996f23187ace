"""When two near copies are one story (reader/stories/grouping.py `match`): not one
source's template filled in with another hour's figures, not a roundup whose first item
a short report copies, while copies that repeat a report's facts stay one story."""

from __future__ import annotations

from reader.stories.grouping import match
from reader.stories.signature import signature_of

DAY = 86_400.0
WINDOW = 14 * DAY
TEMPLATE = ("Stocks in the US were {way} on {day}, with the S&P 500 {sp} at {spv}, the "
            "Dow Jones {dow} points to {dowv} and the Nasdaq Composite {nq} at {nqv}, as "
            "traders digested the latest tariff news and awaited the Fed Chair's testimony "
            "to Congress for further insight on the path of interest rates this year. "
            "Treasury yields were {ty} with the ten-year note at {tyv} and oil at {oil}.")
BEFORE = dict(way="lower", day="Tuesday", sp="losing 0.3%", spv="6,046.12", dow="down 90",
              dowv="44,380.55", nq="falling 0.5%", nqv="19,612.18", ty="higher",
              tyv="4.53%", oil="$73.40")
AFTER = dict(way="mixed", day="Tuesday", sp="adding 0.1%", spv="6,072.80", dow="up 12",
             dowv="44,482.13", nq="easing 0.2%", nqv="19,648.67", ty="steady",
             tyv="4.51%", oil="$73.02")


def sig(path, title, body, hours=0.0, source="tradingview"):
    return signature_of(path, 1_739_000_000 + hours * 3600, source, title, body)


def test_one_sources_template_with_other_figures_is_two_stories():
    a = sig("a.md", "US Stocks Set to Fall at the Open", TEMPLATE.format(**BEFORE))
    b = sig("b.md", "US Stocks Lower on Tariff News", TEMPLATE.format(**AFTER), 1.3)
    assert match(a, b, WINDOW) == ""


def test_a_copy_that_repeats_the_figures_is_one_story():
    a = sig("a.md", "US Stocks Set to Fall at the Open", TEMPLATE.format(**BEFORE))
    b = sig("b.md", "US stocks set to fall at open on tariff news",
            TEMPLATE.format(**BEFORE).replace("Tuesday", "Tue."), 0.5, "investing")
    assert match(a, b, WINDOW) == "near copy"


def test_an_update_under_the_same_long_title_with_new_figures_is_one_story():
    title = "Dollar edges up, stocks higher as latest tariffs swirl"
    a = sig("a.md", title, TEMPLATE.format(**BEFORE))
    b = sig("b.md", title, TEMPLATE.format(**AFTER | {"way": "lower"}), 3.5)
    assert match(a, b, WINDOW) == "near copy"


ITEM = ("Iron ore gains in Asian trading. The steelmaking ingredient may find some support "
        "thanks to strong near-term demand and supply dynamics, Nanhua Futures analysts "
        "say in commentary. Demand is likely to improve as construction activity picks up "
        "after the holiday, while shipments from the main exporters have slowed. ")


def test_a_roundup_whose_title_is_not_about_its_lead_is_no_copy_of_its_first_item():
    report = sig("a.md", "Iron Ore Gains; China Demand Likely to Improve", ITEM * 2)
    roundup = sig("b.md", "BP Touts 'New Beginning,' Fundamental Change in -3-",
                  ITEM * 2 + "0300 GMT - Shares of energy companies rose.", 14, "morningstar")
    assert match(report, roundup, WINDOW) == ""


LINK = "[Trading Economics](https://www.example.com/news/{})"


def test_a_short_title_over_an_empty_body_saved_twice_in_one_second_is_one_story():
    """Too little text to join reports of other hours (a daily table's title), yet two
    files of it dated the same second are one item saved twice."""
    a = sig("a.md", "Paris Most Actives", LINK.format("a"))
    b = sig("b.md", "Paris Most Actives", LINK.format("b"))
    assert a.shingles < 30 and match(a, b, WINDOW) == "exact copy"
    assert match(a, sig("c.md", "Paris Most Actives", LINK.format("c"), 24.0), WINDOW) == ""
    assert match(a, sig("d.md", "Paris Most Actives", LINK.format("d"), 0.5), WINDOW) == ""
