"""Tests for briefgen.l10n.numbers: figures with units, qualifiers and compact numbers against Babel's output."""

from __future__ import annotations

import pytest
from babel.numbers import format_compact_decimal, format_decimal, get_currency_name, get_currency_symbol

from briefgen.l10n.labels import label
from briefgen.l10n.numbers import figure_label, ordinal
from briefgen.registry.records import Qualifier
from test_l10n_dates import LANGUAGES, babel


@pytest.mark.parametrize("language", LANGUAGES)
def test_compact_and_plain_numbers_are_babels(language: str) -> None:
    locale = LANGUAGES[language]
    assert figure_label(999_950_000, None, Qualifier.EXACT, language) == babel(
        format_compact_decimal(999_950_000, format_type="long", locale=locale, fraction_digits=1))
    assert figure_label(12_000, None, Qualifier.EXACT, language) == babel(format_decimal(12_000, locale=locale))


def test_money_in_each_language() -> None:
    assert figure_label(8e9, "USD", Qualifier.MORE_THAN, "en") == "more than US$8 billion"
    assert figure_label(8e9, "USD", Qualifier.MORE_THAN, "en-US") == "more than $8 billion"
    assert figure_label(8e9, "USD", Qualifier.MORE_THAN, "ru") == "более 8 миллиардов долларов США"
    assert figure_label(8e9, "USD", Qualifier.MORE_THAN, "zh") == "超过80亿美元"
    assert figure_label(999_960_000, "USD", Qualifier.EXACT, "en") == "US$1 billion"  # rounds as Babel does


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_made_of_cldrs_parts(language: str) -> None:
    locale = LANGUAGES[language]
    text = figure_label(8e9, "USD", Qualifier.EXACT, language)
    amount = babel(format_compact_decimal(8e9, format_type="long", locale=locale, fraction_digits=1))
    assert amount in text
    assert get_currency_symbol("USD", locale=locale) in text or get_currency_name("USD", count=8e9, locale=locale) in text


@pytest.mark.parametrize("qualifier", [q for q in Qualifier if q is not Qualifier.EXACT])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_qualifier_has_words(qualifier: Qualifier, language: str) -> None:
    figure = figure_label(100, "teenagers", Qualifier.EXACT, language)
    key = "figure_" + qualifier.value.replace("-", "_")
    assert figure_label(100, "teenagers", qualifier, language) == label(language, key, figure=figure) != figure


def test_ranks_read_as_ordinals() -> None:
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"]
    assert figure_label(2, "rank", Qualifier.EXACT, "ru") == "2-е"
    assert figure_label(2, "rank", Qualifier.EXACT, "zh") == "第2"
