"""Every word briefgen itself prints, in one table: headings, column heads, "Page 3 of 5".

This is the one list of label keys (``docs/templates.md`` shows it; a
template reads a label with ``labels("key")``). Each language gives every
key; ``{name}`` slots are filled in by the caller. The words around dates
("c. 2013", "since 2022", "1990s") and figures ("more than ...") are here
too, but month names, eras, digits and number words are CLDR's and come from
Babel (``dates.py``, ``numbers.py``), never from this table.
"""

from __future__ import annotations

from briefgen.l10n.languages import base_language, check_language

__all__ = ["LABEL_KEYS", "label", "labels_table"]

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        # briefs: titles, subtitles, headings
        "briefing": "Briefing",
        "overview": "Overview",
        "chronology": "Chronology",
        "positions": "Positions",
        "summary": "Summary",
        "recent_developments": "Recent developments",
        "key_positions": "Key positions",
        "key_facts": "Key facts",
        "last_updated": "last updated {date}",
        "sentence_gap": " ",
        # tables
        "date": "Date",
        "event": "Event",
        "actor": "Actor",
        "issue": "Issue",
        "position": "Position",
        "evidence": "Evidence",
        "position_supports": "Supports",
        "position_opposes": "Opposes",
        "position_neutral": "Neutral",
        "position_recognises": "Recognises",
        "position_calls-for": "Calls for",
        "position_rejects": "Rejects",
        "position_concerned": "Concerned",
        # notes, sources, page furniture
        "sources": "Sources",
        "notes": "Notes",
        "page_of": "Page {page} of {pages}",
        "accessed": "accessed {date}",
        "derived_from": "Derived from {facts}: {reasoning}",
        "conflict": "Sources disagree: {note}",
        "ibid": "Ibid.",
        "marking_draft": "DRAFT",
        # around dates (month names and eras are CLDR's)
        "date_approximate": "c. {date}",
        "date_uncertain": "{date} (?)",
        "date_since": "since {date}",
        "date_until": "until {date}",
        "decade": "{year}s",
        "decade_era": "{year}s {era}",
        "century": "{ordinal} century",
        "century_era": "{ordinal} century {era}",
        # around figures (digits and number words are CLDR's)
        "figure_unit": "{amount} {unit}",
        "figure_about": "about {figure}",
        "figure_more_than": "more than {figure}",
        "figure_less_than": "less than {figure}",
        "figure_at_least": "at least {figure}",
        "ordinal_one": "{number}st",
        "ordinal_two": "{number}nd",
        "ordinal_few": "{number}rd",
        "ordinal_other": "{number}th",
    },
    "ru": {
        "briefing": "Справка",
        "overview": "Обзор",
        "chronology": "Хронология",
        "positions": "Позиции",
        "summary": "Кратко",
        "recent_developments": "Последние события",
        "key_positions": "Основные позиции",
        "key_facts": "Основные факты",
        "last_updated": "обновлено {date}",
        "sentence_gap": " ",
        "date": "Дата",
        "event": "Событие",
        "actor": "Сторона",
        "issue": "Вопрос",
        "position": "Позиция",
        "evidence": "Основание",
        "position_supports": "Поддерживает",
        "position_opposes": "Выступает против",
        "position_neutral": "Нейтральна",
        "position_recognises": "Признаёт",
        "position_calls-for": "Призывает",
        "position_rejects": "Отвергает",
        "position_concerned": "Обеспокоена",
        "sources": "Источники",
        "notes": "Примечания",
        "page_of": "Страница {page} из {pages}",
        "accessed": "дата обращения: {date}",
        "derived_from": "Выведено из {facts}: {reasoning}",
        "conflict": "Источники расходятся: {note}",
        "ibid": "Там же.",
        "marking_draft": "ПРОЕКТ",
        "date_approximate": "ок. {date}",
        "date_uncertain": "{date} (?)",
        "date_since": "с {date}",
        "date_until": "до {date}",
        "decade": "{year}-е",
        "decade_era": "{year}-е гг. {era}",
        "century": "{roman} в.",
        "century_era": "{roman} в. {era}",
        "figure_unit": "{amount} {unit}",
        "figure_about": "около {figure}",
        "figure_more_than": "более {figure}",
        "figure_less_than": "менее {figure}",
        "figure_at_least": "не менее {figure}",
        "ordinal_one": "{number}-е",
        "ordinal_two": "{number}-е",
        "ordinal_few": "{number}-е",
        "ordinal_other": "{number}-е",
    },
    "zh": {
        "briefing": "简报",
        "overview": "概览",
        "chronology": "大事年表",
        "positions": "立场",
        "summary": "摘要",
        "recent_developments": "近期动态",
        "key_positions": "主要立场",
        "key_facts": "要点",
        "last_updated": "更新于{date}",
        "sentence_gap": "",
        "date": "日期",
        "event": "事件",
        "actor": "行为方",
        "issue": "议题",
        "position": "立场",
        "evidence": "依据",
        "position_supports": "支持",
        "position_opposes": "反对",
        "position_neutral": "中立",
        "position_recognises": "承认",
        "position_calls-for": "呼吁",
        "position_rejects": "拒绝",
        "position_concerned": "关切",
        "sources": "资料来源",
        "notes": "注释",
        "page_of": "第{page}页，共{pages}页",
        "accessed": "访问日期：{date}",
        "derived_from": "推导自{facts}：{reasoning}",
        "conflict": "来源说法不一：{note}",
        "ibid": "同上。",
        "marking_draft": "草稿",
        "date_approximate": "约{date}",
        "date_uncertain": "{date}（？）",
        "date_since": "{date}起",
        "date_until": "至{date}",
        "decade": "{year}年代",
        "decade_era": "{era}{year}年代",
        "century": "{number}世纪",
        "century_era": "{era}{number}世纪",
        "figure_unit": "{amount}{unit}",
        "figure_about": "约{figure}",
        "figure_more_than": "超过{figure}",
        "figure_less_than": "不足{figure}",
        "figure_at_least": "至少{figure}",
        "ordinal_one": "第{number}",
        "ordinal_two": "第{number}",
        "ordinal_few": "第{number}",
        "ordinal_other": "第{number}",
    },
}
LABEL_KEYS: tuple[str, ...] = tuple(_LABELS["en"])
"""Every label key, in the table's order."""


def label(language: str, key: str, **values: object) -> str:
    """The label ``key`` in ``language`` with ``values`` filled in; an unknown key is a ``KeyError``."""
    return _LABELS[base_language(check_language(language))][key].format(**values)


def labels_table() -> dict[str, dict[str, str]]:
    """Every language's labels (a copy): for documentation and tests."""
    return {language: dict(words) for language, words in _LABELS.items()}
