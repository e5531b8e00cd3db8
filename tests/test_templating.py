"""Tests for templating.py and front_matter.py: loaders, front matter, parameters, sandbox, escaping, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import TemplateError, UsageError
from briefgen.front_matter import ParamType, resolve_parameters
from briefgen.templating import BUILT_IN, PROJECT, Brief, Markdown, list_briefs, load_brief, render

OVERRIDE = Path(__file__).parent / "projects" / "templating-override"
TEMPLATES, BUILTIN = OVERRIDE / "templates", OVERRIDE / "builtin"


def brief_in(folder: Path, name: str = "brief", builtin_dir: Path = BUILTIN) -> Brief:
    return load_brief(name, folder, builtin_dir=builtin_dir)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rendered(brief: Brief, **variables: object) -> str:
    params = resolve_parameters(brief.front_matter, {})
    return render(brief, {"params": params, **variables})


def render_body(tmp_path: Path, body: str, **variables: object) -> str:
    """Render a one-off brief whose front matter is just a title; its body starts on line 4."""
    write(tmp_path, "brief.md.j2", "---\ntitle: T\n---\n" + body)
    return rendered(brief_in(tmp_path), **variables)


def error_of(tmp_path: Path, body: str, error: type[Exception] = TemplateError, **variables: object) -> Exception:
    with pytest.raises(error) as caught:
        render_body(tmp_path, body, **variables)
    return caught.value


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
    text = rendered(brief_in(TEMPLATES, "overview"))
    assert "# Our overview" in text
    assert "**education** since 2015; before: Built-in summary on education." in text
    assert "Built-in sources." in text


def test_brief_extending_overridden_template_gets_project_version() -> None:
    text = rendered(brief_in(TEMPLATES, "handout"))
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
    overview = brief_in(None, "overview")  # type: ignore[arg-type]
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
        ("title: T\nformats: [pdf, html]", 3, "'formats': expected a list of formats"),
        ("subtitle: S", 1, "front matter has no 'title'"),
        ("title: T\nparameters:\n  n: {type: integer}", 4, "parameter 'n': unknown type 'integer'"),
        ("title: T\nparameters:\n  n: {default: 1}", 4, "parameter 'n': has no 'type'"),
        ("title: T\nparameters:\n  n:\n    type: int\n    default: many", 6, "parameter 'n': default: write a whole"),
        ("title: T\nparameters:\n  c: {type: choice}", 4, "parameter 'c': a choice needs"),
        ("title: [unclosed", 2, "front matter is not valid YAML"),
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


def test_plain_values_are_escaped_trusted_markdown_is_not(tmp_path: Path) -> None:
    text = render_body(tmp_path, "{{ text }} {{ mark }}", text="a *b* <i> [@x] {{y}}", mark=Markdown("[@f1]"))
    assert text == "a \\*b\\* \\<i\\> \\[@x\\] \\{\\{y\\}\\} [@f1]"


def test_concat_join_macro_and_super_keep_trusted_markdown(tmp_path: Path) -> None:
    body = (
        '{% macro em(x) %}*{{ x }}*{% endmacro %}'
        '{{ text ~ " " ~ mark }}|{{ [text, mark] | join("; ") }}|{{ em(text) }}|{{ "**raw**" | safe }}'
    )
    text = render_body(tmp_path, body, text="a*b", mark=Markdown("[@f1]"))
    assert text == "a\\*b [@f1]|a\\*b; [@f1]|*a\\*b*|**raw**"


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
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ path.read_text() }}",
        "{{ path.parent.joinpath('x') }}",
        "{% include '/etc/passwd' %}",
        "{% include '../secret.md.j2' %}",
        "{% include 'sub/../../secret.md.j2' %}",
    ],
)
def test_sandbox_escapes_are_template_errors(tmp_path: Path, body: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write(tmp_path, "secret.md.j2", "SECRET")
    error = error_of(project, "\n" + body, path=project / "brief.md.j2")
    assert "(sandboxed)" in str(error) and "template tried to reach" in str(error)
    assert error.problems[0].line == 5
    assert "SECRET" not in str(error) and "title" not in str(error)


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner"])
def test_unneeded_globals_are_gone(tmp_path: Path, name: str) -> None:
    assert f"'{name}' is undefined" in str(error_of(tmp_path, f"{{{{ {name}() }}}}"))


@pytest.mark.parametrize("name", ["tojson", "urlize", "xmlattr", "forceescape"])
def test_filters_that_bypass_escaping_are_gone(tmp_path: Path, name: str) -> None:
    assert f"No filter named '{name}'" in str(error_of(tmp_path, f"{{{{ x | {name} }}}}", x="a"))


def test_harmless_globals_stay(tmp_path: Path) -> None:
    body = "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
    assert render_body(tmp_path, body) == "3"


def test_recursive_include_names_template(tmp_path: Path) -> None:
    write(tmp_path, "_loop.md.j2", '{% include "_loop.md.j2" %}\n')
    error = error_of(tmp_path, '{% include "_loop.md.j2" %}')
    assert "'_loop.md.j2' includes itself" in str(error)


def test_missing_include_names_including_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, '\n{% include "_nope.md.j2" %}')
    assert "no template named '_nope.md.j2'" in str(error) and error.problems[0].line == 5


def test_python_error_in_template_code_is_template_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, "{{ 1 / 0 }}")
    assert "ZeroDivisionError" in str(error) and error.problems[0].line == 4


def test_helper_briefgen_error_keeps_type_and_gains_template_line(tmp_path: Path) -> None:
    from briefgen.errors import FactsError

    def fact(fact_id: str) -> None:
        raise FactsError(f"unknown fact '{fact_id}'")

    with pytest.raises(FactsError, match=r"brief\.md\.j2:5: unknown fact 'nope'"):
        render_body(tmp_path, "\n{{ fact('nope') }}", fact=fact)
