"""Tests for briefgen.l10n.transform and the label table: what the model carries for the writers."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.l10n.labels import LABEL_KEYS, label, labels_table
from briefgen.l10n.languages import LANGUAGES
from briefgen.l10n.transform import localise, localised_marking
from briefgen.model import Document, Labels, Meta


def test_the_models_default_labels_are_what_localise_gives_english() -> None:
    assert localise(Document(Meta("T"), ())).meta.labels == Labels()


@pytest.mark.parametrize(
    ("language", "date", "page_of", "tag"),
    [
        ("en", "20 January 2026", "Page {page} of {pages}", "en-GB"),
        ("en-US", "January 20, 2026", "Page {page} of {pages}", "en-US"),
        ("ru", "20 января 2026\u00a0г.", "Страница {page} из {pages}", "ru-RU"),
        ("zh", "2026年1月20日", "第{page}页，共{pages}页", "zh-CN"),
    ],
)
def test_localise_fills_the_labels_in_the_documents_language(language: str, date: str, page_of: str, tag: str) -> None:
    doc = localise(Document(Meta("T", date=dt.date(2026, 1, 20), language=language), ()))
    assert doc.meta.labels == Labels(date=date, page_of=page_of, notes=label(language, "notes"), language_tag=tag,
                                     hyphenate=language == "ru", east_asian=language == "zh")


def test_every_language_gives_every_key() -> None:
    table = labels_table()
    assert {language.split("-")[0] for language in LANGUAGES} == set(table)
    for words in table.values():
        assert tuple(words) == LABEL_KEYS


def test_briefgens_own_markings_are_translated_and_others_kept() -> None:
    assert [localised_marking("DRAFT", language) for language in ("en", "ru", "zh")] == ["DRAFT", "ПРОЕКТ", "草稿"]
    assert localised_marking("Draft", "ru") == "ПРОЕКТ"
    assert localised_marking("OFFICIAL-SENSITIVE", "ru") == "OFFICIAL-SENSITIVE"
    assert localised_marking(None, "ru") is None
