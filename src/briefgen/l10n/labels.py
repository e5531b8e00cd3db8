"""Words a brief shows that are not facts: "Sources", "Page 3 of 5", column heads.

Labels come from the brief's language. English is complete; another
language may leave a label out and falls back to English. Dates are not
here: ``dates.py`` formats them with Babel in the same language.
"""

from __future__ import annotations

__all__ = ["label", "languages", "ordinal"]

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "sources": "Sources",
        "notes": "Notes",
        "page_of": "Page {page} of {pages}",
        "accessed": "accessed {date}",
        "derived_from": "Derived from {facts}: {reasoning}",
        "date": "Date",
        "event": "Event",
        "key_facts": "Key facts",
        "last_updated": "last updated {date}",
        "actor": "Actor",
        "issue": "Issue",
        "position": "Position",
        "evidence": "Evidence",
        "conflict": "Sources disagree: {note}",
        "position_supports": "Supports",
        "position_opposes": "Opposes",
        "position_neutral": "Neutral",
        "position_recognises": "Recognises",
        "position_calls-for": "Calls for",
        "position_rejects": "Rejects",
        "position_concerned": "Concerned",
    },
    "ru": {
        "sources": "Источники",
        "notes": "Примечания",
        "page_of": "Страница {page} из {pages}",
        "accessed": "дата обращения: {date}",
        "derived_from": "Выведено из {facts}: {reasoning}",
        "date": "Дата",
        "event": "Событие",
        "key_facts": "Основные факты",
        "last_updated": "обновлено {date}",
        "actor": "Сторона",
        "issue": "Вопрос",
        "position": "Позиция",
        "evidence": "Основание",
        "conflict": "Источники расходятся: {note}",
        "position_supports": "Поддерживает",
        "position_opposes": "Выступает против",
        "position_neutral": "Нейтральна",
        "position_recognises": "Признаёт",
        "position_calls-for": "Призывает",
        "position_rejects": "Отвергает",
        "position_concerned": "Обеспокоена",
    },
}


def languages() -> list[str]:
    return sorted(_LABELS)


def label(language: str, key: str, **values: str | int) -> str:
    """The label ``key`` in ``language`` (falling back to English), with ``values`` filled in."""
    table = _LABELS.get(language.split("-")[0], _LABELS["en"])
    return table.get(key, _LABELS["en"][key]).format(**values)


def ordinal(number: int, language: str = "en") -> str:
    """``2`` as a rank: "2nd" in English, "2-е" in Russian."""
    if language.split("-")[0] == "ru":
        return f"{number}-е"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
