"""Tests for templating.py and front_matter.py: loaders, front matter, parameters, sandbox, escaping, errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefgen.registry.dates import parse_date
from briefgen.errors import BriefgenError, FactsError, TemplateError, UsageError
from briefgen.registry.loader import Registry
from briefgen.templating.front_matter import ParamType, resolve_parameters
from briefgen.model import Cite, Paragraph, Text
from briefgen.markdown.reader import read_markdown
from briefgen.registry.records import Entity, Fact, FactKind, Origin, Qualifier, Topic
from briefgen.templating.briefs import BUILT_IN, PROJECT, Brief, list_briefs, load_brief, render, render_text

OVERRIDE = Path(__file__).parent / "projects" / "templating-override"
TEMPLATES, BUILTIN = OVERRIDE / "templates", OVERRIDE / "builtin"
TRICKY = "a *b* <i>x</i> [@x] {{ y }} _c_ `d` # e | f"


def _fact(fact_id: str, statement: str, kind: FactKind, date: str | None, **fields: object) -> Fact:
    dated = parse_date(date) if date else None
    return Fact(fact_id, statement, kind, Origin(Path("facts/test.yaml"), 1), date=dated, **fields)  # type: ignore[arg-type]


def tiny_registry() -> Registry:
    """A registry built from records: facts out of date order, a stance pair, two trade figures."""
    origin = Origin(Path("facts/test.yaml"), 1)
    facts = (
        _fact("park", "The industrial park opened.", FactKind.EVENT, "2012-08", topics=("economy",), actors=("by",), priority=2),
        _fact("tricky", TRICKY, FactKind.EVENT, "2015", priority=3),
        _fact("relations", "Relations were established.", FactKind.EVENT, "1992-01-20", actors=("by", "cn"), priority=1),
        _fact("one-china", "Belarus supports one China.", FactKind.STANCE, "2024", holder="by", issue="taiwan"),
        _fact("hk", "Belarus backed the HK law.", FactKind.STANCE, "2020-06", holder="by", issue="hong-kong"),
        _fact("trade-old", "Trade was 5 bn.", FactKind.FIGURE, None, metric="trade", value=5e9, unit="USD", as_of=parse_date("2020")),
        _fact(
            "trade",
            "Trade exceeded 8 bn.",
            FactKind.FIGURE,
            None,
            metric="trade",
            value=8e9,
            unit="USD",
            qualifier=Qualifier.MORE_THAN,
            as_of=parse_date("2025"),
        ),
        _fact("students", "About 12,000 students.", FactKind.FIGURE, None, metric="students", value=12000, unit="students", qualifier=Qualifier.ABOUT, as_of=parse_date("2026-01")),
    )
    entities = (Entity("by", "country", {"en": "Belarus", "ru": "Беларусь"}, origin), Entity("cn", "country", {"en": "China"}, origin))
    topics = (Topic("economy", "Economy", origin),)
    return Registry(Path("."), (), entities, topics, facts, "hash", dt.date(2026, 1, 20))


def brief_in(folder: Path | None, name: str = "brief", builtin_dir: Path = BUILTIN) -> Brief:
    return load_brief(name, folder, builtin_dir=builtin_dir)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def render_body(tmp_path: Path, body: str, front_matter: str = "") -> str:
    """Render a one-off brief over the tiny registry; with no extra front matter its body starts on line 4."""
    write(tmp_path, "brief.md.j2", f"---\ntitle: T\n{front_matter}---\n{body}")
    return render(brief_in(tmp_path), tiny_registry())


def error_of(tmp_path: Path, body: str, error: type[Exception] = TemplateError) -> BriefgenError:
    with pytest.raises(error) as caught:
        render_body(tmp_path, body)
    assert isinstance(caught.value, BriefgenError)
    return caught.value


@pytest.mark.parametrize("name", ["copy", "items", "keys", "get", "values", "n"])
def test_a_parameter_named_like_a_dict_method_is_the_parameter(tmp_path: Path, name: str) -> None:
    text = render_body(tmp_path, f"{{{{ params.{name} }}}} {{{{ params['{name}'] }}}}", f"parameters:\n  {name}: {{type: int, default: 7}}\n")
    assert text.strip() == "7 7"


# --- finding briefs, override and extends ---------------------------------------------


def test_list_briefs_project_first_override_hides_builtin_and_partials_are_not_briefs() -> None:
    listed = [(b.name, b.title, b.where) for b in list_briefs(TEMPLATES, builtin_dir=BUILTIN)]
    assert listed == [
        ("handout", "Student handout", PROJECT),
        ("overview", "Our overview", PROJECT),
        ("chronology", "Chronology", BUILT_IN),
    ]


def test_without_project_folder_only_builtins() -> None:
    assert [b.name for b in list_briefs(None, builtin_dir=BUILTIN)] == ["chronology", "overview"]


def test_project_override_extends_builtin_by_prefix_and_overrides_one_block() -> None:
    text = render(brief_in(TEMPLATES, "overview"), tiny_registry())
    assert "# Our overview" in text
    assert "**education** since 2015; before: Built-in summary on education." in text
    assert "Built-in sources." in text


def test_brief_extending_overridden_template_gets_project_version() -> None:
    text = render(brief_in(TEMPLATES, "handout"), tiny_registry())
    assert "# Student handout" in text
    assert "**education**" in text
    assert "Handout sources." in text and "Built-in sources." not in text


def test_front_matter_inherited_along_extends_child_wins() -> None:
    handout = brief_in(TEMPLATES, "handout").front_matter
    assert handout.title == "Student handout"
    assert handout.formats == ("pdf",)
    assert (handout.subtitle, handout.page_limit, handout.marking) == ("Built-in", 1, "OFFICIAL")
    topic = handout.parameters["topic"]
    assert topic.type is ParamType.CHOICE and topic.choices == ("trade", "education")
    assert topic.default == "education" and topic.help == "the topic to cover"
    assert str(handout.parameters["since"].default) == "2015"


def test_builtin_brief_keeps_its_own_front_matter() -> None:
    overview = brief_in(None, "overview")
    assert overview.where == BUILT_IN and overview.front_matter.title == "Overview"
    assert overview.front_matter.parameters["topic"].default == "trade"


def test_unknown_brief_did_you_mean_is_usage_error() -> None:
    with pytest.raises(UsageError, match="no brief named 'overveiw'") as caught:
        brief_in(TEMPLATES, "overveiw")
    assert caught.value.exit_code == 2
    assert caught.value.problems[0].hint == "did you mean 'overview'?"


def test_partial_is_not_a_brief() -> None:
    with pytest.raises(UsageError, match="no brief named '_macros'"):
        brief_in(TEMPLATES, "_macros")


def test_template_extending_itself_points_to_builtin_prefix(tmp_path: Path) -> None:
    write(tmp_path, "overview.md.j2", '---\ntitle: Mine\n---\n{% extends "overview.md.j2" %}\n')
    with pytest.raises(TemplateError, match="extends itself") as caught:
        brief_in(tmp_path, "overview")
    assert "builtin/overview.md.j2" in (caught.value.problems[0].hint or "")


@pytest.mark.parametrize("parent", ["nope.md.j2", "../secret.md.j2"])
def test_extending_a_missing_or_outside_template_names_the_extends_line(tmp_path: Path, parent: str) -> None:
    write(tmp_path, "brief.md.j2", f'---\ntitle: T\n---\n\n{{% extends "{parent}" %}}\n')
    with pytest.raises(TemplateError, match=rf"brief\.md\.j2:5: cannot extend '{re.escape(parent)}'"):
        brief_in(tmp_path)


def test_cycle_of_extends_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md.j2", '---\ntitle: A\n---\n{% extends "b.md.j2" %}\n')
    write(tmp_path, "b.md.j2", '---\ntitle: B\n---\n{% extends "a.md.j2" %}\n')
    with pytest.raises(TemplateError, match=r"b\.md\.j2:4: 'a\.md\.j2' extends itself"):
        brief_in(tmp_path, "a")


# --- front matter ------------------------------------------------------------------------


def test_front_matter_keeps_line_numbers_of_body(tmp_path: Path) -> None:
    error = error_of(tmp_path, "ok\n{{ missing }}\n")
    assert (error.problems[0].line, Path(str(error.problems[0].file)).name) == (5, "brief.md.j2")


def test_front_matter_unknown_key_did_you_mean_with_line(tmp_path: Path) -> None:
    write(tmp_path, "brief.md.j2", "---\ntitle: T\npagelimit: 1\nparameters:\n  x: {type: str, defualt: a}\n---\n")
    with pytest.raises(TemplateError) as caught:
        brief_in(tmp_path)
    problems = [(p.line, p.message, p.hint) for p in caught.value.problems]
    assert problems == [
        (3, "unknown front matter key 'pagelimit'", "did you mean 'page_limit'?"),
        (5, "unknown parameter field 'defualt'", "did you mean 'default'?"),
    ]


@pytest.mark.parametrize(
    ("yaml_text", "line", "message"),
    [
        ("title: T\npage_limit: two", 3, "'page_limit': expected a number of pages"),
        ("title: T\nformats: [pdf, rtf]", 3, "'formats': expected a list of formats"),
        ("subtitle: S", 1, "front matter has no 'title'"),
        ("title: T\nlanguage: klingon", 3, "'language': briefgen does not write language 'klingon'"),
        ("title: T\nparameters:\n  n: {type: integer}", 4, "parameter 'n': unknown type 'integer'"),
        ("title: T\nparameters:\n  n: {default: 1}", 4, "parameter 'n': has no 'type'"),
        ("title: T\nparameters:\n  n:\n    type: int\n    default: many", 6, "parameter 'n': default: write a whole"),
        ("title: T\nparameters:\n  c: {type: choice}", 4, "parameter 'c': 'choices' must be a non-empty list"),
        ("title: [unclosed", 2, "YAML syntax error"),
    ],
)
def test_front_matter_bad_values_name_the_line(tmp_path: Path, yaml_text: str, line: int, message: str) -> None:
    write(tmp_path, "brief.md.j2", f"---\n{yaml_text}\n---\nbody\n")
    with pytest.raises(TemplateError) as caught:
        brief_in(tmp_path)
    assert caught.value.problems[0].line == line
    assert caught.value.problems[0].message.startswith(message)


def test_unclosed_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "brief.md.j2", "---\ntitle: T\nbody\n")
    with pytest.raises(TemplateError, match=r"brief.md.j2:1: front matter is not closed"):
        brief_in(tmp_path)


# --- parameters ------------------------------------------------------------------------


def test_resolve_parameters_converts_to_declared_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        "brief.md.j2",
        "---\ntitle: T\nparameters:\n"
        "  n: {type: int, default: 3}\n  flag: {type: bool}\n  since: {type: date}\n"
        "  actors: {type: list, default: [by, cn]}\n  mode: {type: choice, choices: [short, long]}\n---\n",
    )
    front_matter = brief_in(tmp_path).front_matter
    assert resolve_parameters(front_matter, {}) == {"n": 3, "flag": None, "since": None, "actors": ["by", "cn"], "mode": None}
    values = resolve_parameters(front_matter, {"n": "5", "flag": "yes", "since": "2015-07", "actors": "a, b", "mode": "long"})
    assert (values["n"], values["flag"], str(values["since"]), values["actors"], values["mode"]) == (
        5,
        True,
        "2015-07",
        ["a", "b"],
        "long",
    )


def test_unknown_set_parameter_is_usage_error_with_did_you_mean() -> None:
    front_matter = brief_in(TEMPLATES, "overview").front_matter
    with pytest.raises(UsageError, match="has no parameter 'topc'") as caught:
        resolve_parameters(front_matter, {"topc": "trade"})
    assert caught.value.exit_code == 2 and caught.value.problems[0].hint == "did you mean 'topic'?"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("since", "yesterday", "expects a date"), ("topic", "sport", "expects one of its choices")],
)
def test_wrong_type_set_parameter_names_parameter_type_and_value(name: str, value: str, expected: str) -> None:
    front_matter = brief_in(TEMPLATES, "overview").front_matter
    with pytest.raises(UsageError) as caught:
        resolve_parameters(front_matter, {name: value})
    assert f"parameter '{name}' {expected}" in str(caught.value) and f"got '{value}'" in str(caught.value)


# --- escaping -----------------------------------------------------------------------------


def test_fact_text_is_escaped_citations_are_trusted(tmp_path: Path) -> None:
    text = render_body(tmp_path, "{{ fact('tricky').statement }} {{ cite('tricky') }}")
    assert text == "a \\*b\\* \\<i\\>x\\</i\\> \\[@x\\] \\{\\{ y \\}\\} \\_c\\_ \\`d\\` \\# e \\| f [@tricky]"


@pytest.mark.parametrize(
    "body",
    [
        "{{ fact('tricky') | statement }}",
        "{{ fact('tricky').statement ~ cite('tricky') }}",
        "{% macro say(f) %}{{ f.statement }}{{ f | cite }}{% endmacro %}{{ say(fact('tricky')) }}",
        "{{ [fact('tricky').statement, cite('tricky')] | join }}",
    ],
)
def test_escaped_text_reads_back_as_the_same_text(tmp_path: Path, body: str) -> None:
    assert read_markdown(render_body(tmp_path, body)) == (Paragraph((Text(TRICKY), Cite(("tricky",), line=1))),)


def test_concat_join_macro_and_safe_keep_trusted_markdown(tmp_path: Path) -> None:
    body = (
        "{% macro em(x) %}*{{ x }}*{% endmacro %}{% set text = 'a*b' %}{% set mark = cite('park') %}"
        '{{ text ~ " " ~ mark }}|{{ [text, mark] | join("; ") }}|{{ em(text) }}|{{ "**raw**" | safe }}'
    )
    assert render_body(tmp_path, body) == "a\\*b [@park]|a\\*b; [@park]|*a\\*b*|**raw**"


# --- template errors ---------------------------------------------------------------------


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\nfine\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"brief\.md\.j2:5: template syntax") as caught:
        brief_in(tmp_path)
    assert caught.value.exit_code == 1


def test_syntax_error_in_included_partial_names_partial(tmp_path: Path) -> None:
    write(tmp_path, "_part.md.j2", "one\ntwo {{ }\n")
    error = error_of(tmp_path, '{% include "_part.md.j2" %}')
    assert Path(str(error.problems[0].file)).name == "_part.md.j2" and error.problems[0].line == 2


def test_undefined_variable_names_file_line_and_name(tmp_path: Path) -> None:
    error = error_of(tmp_path, "line 4\nline 5 {{ topic_name }}\n")
    assert "'topic_name' is undefined" in str(error)
    assert Path(str(error.problems[0].file)).name == "brief.md.j2" and error.problems[0].line == 5


def test_undefined_in_included_partial_names_partial(tmp_path: Path) -> None:
    write(tmp_path, "_part.md.j2", "{{ nothing_here }}\n")
    error = error_of(tmp_path, '\n{% include "_part.md.j2" %}')
    assert Path(str(error.problems[0].file)).name == "_part.md.j2" and error.problems[0].line == 1


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ range.__globals__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ fact('park').origin.file.read_text() }}",
        "{{ fact('park').origin.file.parent.joinpath('x') }}",
        "{% include '/etc/passwd' %}",
        "{% include '../secret.md.j2' %}",
        "{% include 'sub/../../secret.md.j2' %}",
    ],
)
def test_sandbox_escapes_are_template_errors(tmp_path: Path, body: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write(tmp_path, "secret.md.j2", "SECRET")
    error = error_of(project, "\n" + body)
    assert "(sandboxed)" in str(error) and "template tried to reach" in str(error)
    assert error.problems[0].line == 5
    assert "SECRET" not in str(error) and "title" not in str(error)


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner"])
def test_unneeded_globals_are_gone(tmp_path: Path, name: str) -> None:
    assert f"'{name}' is undefined" in str(error_of(tmp_path, f"{{{{ {name}() }}}}"))


def test_escape_through_a_removed_global_says_it_is_undefined(tmp_path: Path) -> None:
    assert "'cycler' is undefined" in str(error_of(tmp_path, "{{ cycler.__init__.__globals__ }}"))


def test_sandbox_names_the_first_unsafe_step(tmp_path: Path) -> None:
    error = str(error_of(tmp_path, "{{ as_of.__class__.__module__ }}"))
    assert "attribute '__class__' of 'date' object" in error and "StrictUndefined" not in error


@pytest.mark.parametrize("name", ["tojson", "urlize", "xmlattr", "forceescape"])
def test_filters_that_bypass_escaping_are_gone(tmp_path: Path, name: str) -> None:
    assert f"No filter named '{name}'" in str(error_of(tmp_path, f"{{{{ 'a' | {name} }}}}"))


def test_harmless_globals_stay(tmp_path: Path) -> None:
    body = "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
    assert render_body(tmp_path, body) == "3"


def test_recursive_include_names_template(tmp_path: Path) -> None:
    write(tmp_path, "_loop.md.j2", '{% include "_loop.md.j2" %}\n')
    error = error_of(tmp_path, '{% include "_loop.md.j2" %}')
    assert "'_loop.md.j2' calls or includes itself" in str(error)


def test_missing_include_names_including_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, '\n{% include "_nope.md.j2" %}')
    assert "no template named '_nope.md.j2'" in str(error) and error.problems[0].line == 5


def test_python_error_in_template_code_is_template_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, "{{ 1 / 0 }}")
    assert "ZeroDivisionError" in str(error) and error.problems[0].line == 4


def test_unknown_fact_id_keeps_facts_error_and_gains_template_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "\n{{ cite(fact('relatons')) }}", FactsError)
    assert "brief.md.j2:5: unknown fact 'relatons'" in str(error) and "relations" in str(error)
    assert error.exit_code == 1


# --- helpers -------------------------------------------------------------------------


def ids(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("facts()", "relations park tricky trade-old hk one-china trade students"),
        ("facts(kind='event')", "relations park tricky"),
        ("facts(kind='event', min_priority=2)", "relations park"),
        ("facts(kind='event', limit=2)", "relations park"),
        ("facts(topic='economy')", "park"),
        ("facts(actor='cn')", "relations"),
        ("facts(kind='event', since=params.since)", "tricky"),
        ("facts(since='2012', until='2015')", "park tricky"),
        ("facts(kind='event') | reverse | take(1)", "tricky"),
    ],
)
def test_facts_query_in_date_order(tmp_path: Path, call: str, expected: str) -> None:
    body = f"{{% for f in {call} %}}{{{{ f.id }}}} {{% endfor %}}"
    assert ids(render_body(tmp_path, body, "parameters:\n  since: {type: date, default: 2013}\n")) == ids(expected)


def test_unknown_topic_in_query_is_facts_error_with_template_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "{{ facts(topic='econmy') }}", FactsError)
    assert error.problems[0].line == 4 and "economy" in str(error)


def test_stances_grouped_by_holder_and_issue(tmp_path: Path) -> None:
    body = "{% for holder, issues in stances() %}{{ entity(holder) }}:{% for issue, items in issues %} {{ issue }}={{ items | map(attribute='id') | join(',') }}{% endfor %}{% endfor %}"
    assert render_body(tmp_path, body) == "Belarus: taiwan=one-china hong-kong=hk"


def test_latest_figure_and_number_with_qualifier_and_unit(tmp_path: Path) -> None:
    body = "{{ latest_figure('trade') | number }} ({{ latest_figure('trade').as_of | date }}); {{ fact('students') | number }}; {{ 2.5 | number('t') }}"
    assert render_body(tmp_path, body) == "more than US$8 billion (2025); about 12,000 students; 2\\.5 t"  # escaped as Markdown, as any text


def test_number_of_a_fact_without_value_is_template_error(tmp_path: Path) -> None:
    assert "fact 'park' has no value" in str(error_of(tmp_path, "{{ fact('park') | number }}"))


def test_labels_dates_entities_and_numbers_in_brief_language(tmp_path: Path) -> None:
    body = "{{ labels('sources') }}; {{ fact('park').date | date }}; {{ entity('by') }}; {{ entity('cn') }}; {{ fact('students') | number }}; {{ as_of | date }}"
    text = render_body(tmp_path, body, "language: ru\n")
    assert text == "Источники; август 2012\u00a0г.; Беларусь; China; около 12\u00a0000 students; 20 января 2026\u00a0г."


def test_english_dates_as_of_and_brief_front_matter(tmp_path: Path) -> None:
    body = "{{ fact('relations').date | date }} / {{ as_of | date }} / {{ brief.title }} / {{ labels('page_of', page=1, pages=2) }}"
    assert render_body(tmp_path, body) == "20 January 1992 / 20 January 2026 / T / Page 1 of 2"


def test_date_filter_without_date_is_template_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, "\n{{ fact('trade').date | date }}")
    assert "the date filter was given no date" in str(error) and error.problems[0].line == 5


def test_cite_several_facts_and_ids(tmp_path: Path) -> None:
    assert render_body(tmp_path, "{{ cite(facts(kind='event', limit=2)) }} {{ ['hk', 'trade'] | cite }}") == "[@relations; @park] [@hk; @trade]"


def test_exclude_leaves_facts_out_of_queries_not_out_of_fact(tmp_path: Path) -> None:
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\n{{ facts(kind='event') | map(attribute='id') | join(' ') }}|{{ stances() | length }}|{{ latest_figure('trade') }}|{{ fact('park').id }}")
    text = render(brief_in(tmp_path), tiny_registry(), exclude=frozenset({"park", "one-china", "hk", "trade"}))
    assert text == "relations tricky|0|None|park"


def test_params_override_defaults(tmp_path: Path) -> None:
    brief = brief_in(TEMPLATES, "overview")
    params = resolve_parameters(brief.front_matter, {"topic": "trade", "since": "2020"})
    assert "**trade** since 2020" in render(brief, tiny_registry(), params=params)


def test_rendering_one_brief_again_reuses_nothing_but_compiled_code(tmp_path: Path) -> None:
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\n{{ facts(kind='event') | map(attribute='id') | join(' ') }}")
    brief = brief_in(tmp_path)
    assert render(brief, tiny_registry()) == "relations park tricky"
    assert render(brief, tiny_registry(), exclude=frozenset({"park"})) == "relations tricky"
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\nchanged")
    assert render(brief, tiny_registry()) == "changed"


def test_compiled_templates_are_reused_by_the_next_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Environment

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path, "_base.md.j2", "---\ntitle: Base\n---\nbase {% block body %}{% endblock %}")
    write(tmp_path, "brief.md.j2", '---\ntitle: "T {{ params.n }}"\nparameters:\n  n: {type: int, default: 2}\n---\n{% extends "_base.md.j2" %}{% block body %}{{ facts(kind=\'event\') | map(attribute=\'id\') | join(\' \') }}{% endblock %}')
    first = brief_in(tmp_path)
    expected = render(first, tiny_registry())
    title = render_text(first, tiny_registry(), "title", params={"n": 2})

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "compile", refuse)
    again = brief_in(tmp_path)  # a new Brief: nothing in memory, as in a new process
    assert again.front_matter == first.front_matter
    assert render(again, tiny_registry()) == expected == "base relations park tricky"
    assert render_text(again, tiny_registry(), "title", params={"n": 2}) == title == "T 2"


def test_compiled_code_never_holds_a_filter_result_of_another_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Jinja's optimizer evaluates a filter on constants while compiling, and compiled code is kept by
    # the template's source: a parent shared by an English and a Russian brief must not keep English.
    write(tmp_path, "_base.md.j2", "---\ntitle: Base\n---\n{{ '2015-07' | date }}; {{ 1234567 | number }}")
    for language in ("en", "ru"):
        write(tmp_path, f"{language}.md.j2", f"---\ntitle: T\nlanguage: {language}\n---\n{{% extends '_base.md.j2' %}}")

    def rendered(language: str, cache: str) -> str:
        monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / cache))
        return render(brief_in(tmp_path, language), tiny_registry())

    alone = {language: rendered(language, f"cache-{language}") for language in ("en", "ru")}
    assert alone == {"en": "July 2015; 1\\.2 million", "ru": "июль 2015\xa0г.; 1\\,2 миллиона"}
    assert {language: rendered(language, "shared") for language in ("en", "ru")} == alone


def test_a_changed_template_is_checked_again_despite_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\nfine")
    assert render(brief_in(tmp_path), tiny_registry()) == "fine"
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\n{% if %}")
    with pytest.raises(TemplateError, match=r"brief\.md\.j2:4: template syntax"):
        brief_in(tmp_path)


def test_a_damaged_or_unwritable_template_cache_is_only_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(cache))
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\n{{ 1 + 1 }}")
    assert render(brief_in(tmp_path), tiny_registry()) == "2"
    entries = [file for file in cache.rglob("*") if file.is_file()]
    assert entries
    for file in entries:
        file.write_bytes(b"damaged")
    assert render(brief_in(tmp_path), tiny_registry()) == "2"
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "cache"))
    assert render(brief_in(tmp_path), tiny_registry()) == "2"


def test_numbers_near_a_power_of_a_thousand_round_up_as_babel_does(tmp_path: Path) -> None:
    body = "{{ 999960000 | number('USD') }}; {{ 999950000 | number }}; {{ 1234 | number }}"
    assert render_body(tmp_path, body) == "US$1 billion; 1 billion; 1\\,234"


# --- ids only where a helper names facts; numbers of a printable size --------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "relations] **INJECTED** [click](https://evil.example) [@relations",
        "relations park",
        "Relations",
        "",
        "@relations",
        "relations]",
    ],
)
def test_cite_and_fact_take_ids_only(tmp_path: Path, value: str) -> None:
    for call in ("cite(params.ref)", "[params.ref]|cite", "cite(['park', params.ref])", "fact(params.ref).id"):
        write(tmp_path, "brief.md.j2", f"---\ntitle: T\nparameters:\n  ref: {{type: str, default: x}}\n---\n{{{{ {call} }}}}")
        with pytest.raises(TemplateError) as caught:
            render(brief_in(tmp_path), tiny_registry(), params={"ref": value})
        helper = "fact" if call.startswith("fact") else "cite"
        assert f"{helper}() takes fact ids" in str(caught.value) and caught.value.problems[0].line == 6, (call, value)


def test_cite_of_an_id_and_of_a_fact_still_work(tmp_path: Path) -> None:
    assert render_body(tmp_path, "{{ cite('park') }} {{ cite(fact('relations')) }} {{ fact('hk')|cite }}") == "[@park] [@relations] [@hk]"


@pytest.mark.parametrize(("body", "expected"), [("{{ 2**10 }}", "1024"), ("{{ 10**999 > 0 }}", "True"), ("{{ (-3)**3 }}", "\\-27"), ("{{ 2**-1 }}", "0\\.5")])
def test_powers_of_a_printable_size_are_computed(tmp_path: Path, body: str, expected: str) -> None:
    assert render_body(tmp_path, body) == expected


@pytest.mark.parametrize("body", ["{{ 10**5000 }}", "{% set n = 10 %}{{ n ** 5000 }}", "{{ 2.0**5000 }}"])
def test_a_power_too_big_to_print_is_a_template_error_at_its_line(tmp_path: Path, body: str) -> None:
    error = error_of(tmp_path, body)
    assert "OverflowError" in str(error) and error.problems[0].line == 4


def test_a_template_linked_out_of_the_template_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write(outside, "secret.md.j2", "---\ntitle: Secret\n---\nSECRET\n")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.md.j2").symlink_to(outside / "secret.md.j2")
    with pytest.raises(TemplateError, match="cannot read 'brief.md.j2': it lies outside the template folders"):
        brief_in(folder)
    write(folder, "other.md.j2", '---\ntitle: T\n---\n{% include "linked.md.j2" %}\n')
    (folder / "linked.md.j2").symlink_to(outside / "secret.md.j2")
    with pytest.raises(TemplateError, match="outside the template folders") as caught:
        render(brief_in(folder, "other"), tiny_registry())
    assert caught.value.problems[0].line == 4
    (folder / "inside.md.j2").symlink_to(folder / "other.md.j2")  # a link within the folder is fine
    assert brief_in(folder, "inside").front_matter.title == "T"


def test_chronology_groups_bc_and_small_ad_years_in_order(tmp_path: Path) -> None:
    years = ["0100", "-0035", "0010", "-0100", "0035", "0001"]  # registry order, not date order
    facts = tuple(_fact(f"y{year}", f"Year {year}.", FactKind.EVENT, year) for year in years)
    registry = Registry(Path("."), (), (), (), facts, "hash", dt.date(2026, 1, 20))
    brief = load_brief("chronology")
    by_decade = render(brief, registry, params=resolve_parameters(brief.front_matter, {"group": "decade"}))
    headings = re.findall(r"^\*\*(.+)\*\*$", by_decade, re.M)
    assert headings == ["100s BC", "30s BC", "0s AD", "10s AD", "30s AD", "100s AD"]
    assert re.findall(r"Year (-?\d+)", by_decade) == ["-0100", "-0035", "0001", "0010", "0035", "0100"]
    by_year = render(brief, registry, params=resolve_parameters(brief.front_matter, {"group": "year"}))
    assert re.findall(r"^\*\*(.+)\*\*$", by_year, re.M) == ["101 BC", "36 BC", "AD 1", "AD 10", "AD 35", "AD 100"]
