"""Facts in other languages: ``translations:`` in the registry, their use in a brief, the warning and --strict-language.

Quotes stay in their source's language: a translation cannot carry one,
and every quote of the shipped registry is checked against its English archive.
"""

from __future__ import annotations

import dataclasses
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build import brief_parameters, render_document
from briefgen.cli import main
from briefgen.errors import BriefgenWarning, FactsError
from briefgen.registry.loader import load_registry
from briefgen.templating.briefs import load_brief
from briefgen.transforms.citations import cited_fact_ids
from test_facts import GOOD, SCENARIO, registry_dir  # noqa: F401 - registry_dir is a fixture

REPO = Path(__file__).resolve().parents[1]
BY = "briefgen developers (machine-assisted)"
TRANSLATED = GOOD.replace(
    "    kind: event\n",
    f"""\
    translations:
      ru:
        statement: Беларусь и Китай отметили годовщину.
        translated_by: {BY}
      zh:
        statement: 白俄罗斯和中国庆祝了一个周年纪念日。
        translated_by: {BY}
    kind: event
""",
)


def problems_with(folder: Path, text: str) -> list[str]:
    (folder / "more.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_registry(folder, cache=False)
    return [str(problem) for problem in caught.value.problems]


def test_a_fact_keeps_its_translations_and_their_translator(registry_dir: Path) -> None:
    (registry_dir / "more.yaml").write_text(TRANSLATED, encoding="utf-8")
    fact = load_registry(registry_dir, cache=False).fact("new-fact")
    assert fact.text_in("ru") == "Беларусь и Китай отметили годовщину."
    assert fact.text_in("zh-CN") == "白俄罗斯和中国庆祝了一个周年纪念日。"
    assert fact.text_in("en-US") == fact.statement == "Belarus and China marked an anniversary."
    assert fact.translation("ru").translated_by == BY  # type: ignore[union-attr]
    assert fact.sources[0].quote == "Diplomatic relations were established on 20 January 1992."


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (f"        translated_by: {BY}\n      zh:", "      zh:", "translation has no 'translated_by'"),
        ("        statement: Беларусь", "        quote: Беларусь", "unknown key 'quote' in a translation"),
        ("      ru:\n", "      en:\n", "has an English translation"),
        ("      ru:\n", "      r u:\n", "'r u' is not a language tag"),
    ],
)
def test_a_bad_translation_names_its_line(registry_dir: Path, old: str, new: str, message: str) -> None:
    found = problems_with(registry_dir, TRANSLATED.replace(old, new, 1))
    assert any(message in problem and "more.yaml:" in problem for problem in found), found


def test_every_shipped_quote_stays_in_its_sources_language() -> None:
    registry = load_registry(REPO / "facts", cache=False)  # loading checks each quote against its archive
    for fact in registry.facts:
        for citation in fact.sources:
            assert not any("\u0400" <= char <= "\u04ff" or "\u4e00" <= char <= "\u9fff" for char in citation.quote), fact.id


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_the_shipped_briefs_state_every_fact_in_their_language(language: str) -> None:
    registry = load_registry(REPO / "facts", as_of="2026-01-20")
    for name in (f"overview-{language}", f"chronology-{language}"):
        brief = load_brief(name, REPO / "templates")
        assert brief.front_matter.language == language
        untranslated: set[str] = set()
        doc = render_document(brief, registry, brief_parameters(brief, {}, {}, [brief]), untranslated=untranslated)
        assert not untranslated and cited_fact_ids(doc)
        for fact_id in cited_fact_ids(doc):
            assert registry.fact(fact_id).translation(language) is not None


def test_a_missing_translation_warns_naming_the_facts_and_strict_language_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(SCENARIO, project / "facts")
    (project / "facts" / "more.yaml").write_text(TRANSLATED.replace("      ru:", "      be:"), encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "note.md.j2").write_text(
        "---\ntitle: T\nlanguage: ru\n---\n{{ fact('new-fact')|statement }}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    runner = CliRunner()
    args = ["build", "note", "--as-of", "2026-01-20", "--format", "pdf"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "note: 1 fact(s) have no 'ru' statement and are stated in English: new-fact" in result.output
    strict = runner.invoke(main, [*args, "--out", "strict", "--strict-language"])
    assert strict.exit_code == 1
    assert "have no 'ru' statement" in strict.output and "translations:" in strict.output
    assert not (project / "strict").exists() or not any((project / "strict").iterdir())


def test_entity_labels_in_the_briefs_language() -> None:
    registry = load_registry(REPO / "facts", cache=False)
    assert [registry.entity_label("belarus", language) for language in ("en-US", "ru", "zh-CN")] == ["Belarus", "Беларусь", "白俄罗斯"]
    brief = load_brief("stance-summary")
    brief = dataclasses.replace(brief, front_matter=dataclasses.replace(brief.front_matter, language="zh"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", BriefgenWarning)
        doc = render_document(brief, registry, brief_parameters(brief, {}, {}, [brief]))
    table = next(block for block in doc.blocks if type(block).__name__ == "Table")
    rows = [["".join(getattr(inline, "text", "") for inline in cell) for cell in row] for row in table.rows]
    assert {row[0] for row in rows} == {"白俄罗斯", "亚历山大·卢卡申科", "习近平"}
    assert "对华关系" in {row[1] for row in rows} and "支持" in {row[2] for row in rows}
    assert not [cell for row in rows for cell in row if any("a" <= char.lower() <= "z" for char in cell)]


def test_a_statement_in_english_for_want_of_a_translation_is_marked_english(tmp_path: Path) -> None:
    from briefgen.model import Cite, Paragraph, Span, Text

    shutil.copytree(SCENARIO, tmp_path / "facts")
    (tmp_path / "facts" / "more.yaml").write_text(TRANSLATED.replace("      ru:", "      be:"), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "note.md.j2").write_text(
        "---\ntitle: T\nlanguage: ru\n---\n{{ fact('new-fact')|statement }}\n", encoding="utf-8")
    registry = load_registry(tmp_path / "facts", as_of="2026-01-20", cache=False)
    brief = load_brief("note", tmp_path / "templates")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = render_document(brief, registry, brief_parameters(brief, {}, {}, [brief]))
    paragraph = doc.blocks[0]
    assert isinstance(paragraph, Paragraph) and isinstance(paragraph.children[-1], Cite)
    assert paragraph.children[0] == Span("en", (Text(registry.fact("new-fact").statement),))


def test_a_source_titled_in_another_language_is_marked_so_in_the_sources_list() -> None:
    from briefgen.model import Emph, SourceList, Span, Text

    registry = load_registry(REPO / "facts", as_of="2026-01-20")
    for name, marked in (("overview-ru", True), ("overview", False)):
        brief = load_brief(name, REPO / "templates")
        doc = render_document(brief, registry, brief_parameters(brief, {}, {}, [brief]))
        [sources] = [block for block in doc.blocks if isinstance(block, SourceList)]
        for entry in sources.entries:
            source = registry.source(entry.source_id)
            first = entry.children[0]
            if marked and source.language == "en":
                assert first == Span("en", (Emph((Text(source.title),)),)), name
            else:
                assert isinstance(first, Emph), name
        assert not marked or any(isinstance(entry.children[0], Span) for entry in sources.entries)
