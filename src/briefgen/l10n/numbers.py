"""Numbers and figures as people read them, in a brief's language, from CLDR through Babel.

A figure is a value, a unit and a qualifier: "more than US$8 billion",
"более 8 миллиардов долларов США", "超过80亿美元", "about 12,000 students",
"2nd". Digits, grouping, compact number words ("billion", "миллиардов",
"亿"), currency symbols and names and the plural rules that pick them are
CLDR's; the words around a figure ("more than") are in ``labels.py``.
Babel is imported only when a number is formatted.
"""

from __future__ import annotations

from briefgen import cache
from briefgen.l10n.labels import label
from briefgen.l10n.languages import FORMATTING_CODE, base_language, locale
from briefgen.registry.records import Qualifier

__all__ = ["figure_label", "ordinal"]

_COMPACT_FROM = 1_000_000  # from a million on, "8 billion" reads better than "8,000,000,000"
# Russian and Chinese write an amount of money in words with the currency's name
# ("8 миллиардов долларов США", "80亿美元"); English puts the symbol first ("US$8 billion").
_CURRENCY_BY_NAME = {"ru", "zh"}


@cache.remembered_calls("labels", *FORMATTING_CODE)
def ordinal(number: int, language: str) -> str:
    """``2`` as a rank: "2nd", "2-е", "第2" (CLDR's ordinal plural rules pick the English suffix)."""
    form = locale(language).ordinal_form(number)
    return label(language, f"ordinal_{form}" if form in ("one", "two", "few") else "ordinal_other", number=number)


@cache.remembered_calls("labels", *FORMATTING_CODE)
def figure_label(value: float, unit: str | None, qualifier: Qualifier, language: str) -> str:
    """A figure with its unit and qualifier: "more than US$8 billion", "about 12,000 students"."""
    text = _quantity(value, unit, language)
    if qualifier is not Qualifier.EXACT:
        text = label(language, "figure_" + qualifier.value.replace("-", "_"), figure=text)
    # CLDR groups Russian digits with a narrow no-break space; not every reader's font has it.
    return text.replace("\u202f", "\u00a0")


def _quantity(value: float, unit: str | None, language: str) -> str:
    from babel.numbers import (
        format_compact_decimal,
        format_decimal,
        get_currency_name,
        get_currency_symbol,
        get_currency_unit_pattern,
        is_currency,
    )

    loc = locale(language)
    if unit == "rank":  # a position in a ranking reads as an ordinal: "2nd"
        return ordinal(int(value), language)
    if abs(value) >= _COMPACT_FROM:
        amount = format_compact_decimal(value, format_type="long", locale=loc, fraction_digits=1)
    else:
        amount = format_decimal(value, locale=loc)
    if unit is None:
        return amount
    if not is_currency(unit, locale=loc):
        return label(language, "figure_unit", amount=amount, unit=unit)
    if base_language(language) in _CURRENCY_BY_NAME:
        pattern = get_currency_unit_pattern(unit, count=value, locale=loc)
        return pattern.replace("{0}", amount).replace("{1}", get_currency_name(unit, count=value, locale=loc))
    symbol = get_currency_symbol(unit, locale=loc)
    return f"{symbol}{amount}" if loc.currency_formats["standard"].pattern.startswith("¤") else f"{amount}\u00a0{symbol}"
