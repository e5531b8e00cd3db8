"""Every brief this project ships states each fact at most once per section.

The handout is built for every topic of the registry, the built-in briefs and
the project's overview once each: within a section (from one heading to the
next; the key-facts box is a section of its own) no fact is cited twice, and
no two cited facts state the same thing (the same passages, kind, date and
issue, as a joint statement recorded once per holder does). The stance
summary is the exception to the second rule by design: it has a row per
holder, so a joint statement appears under each of its holders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build import brief_parameters, render_document
from briefgen.model import Box, Cite, Document, Heading, walk
from briefgen.project import load_project
from briefgen.registry.loader import Registry, load_registry
from briefgen.templating.briefs import list_briefs, load_brief

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REPO / "facts", as_of=AS_OF)


def _sections(doc: Document) -> Iterator[list[str]]:
    """The fact ids each section cites, in order: a heading starts a section, a box is one."""
    current: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading | Box):
            yield current
            current = []
        cited = [fact_id for node in walk(block) if isinstance(node, Cite) for fact_id in node.fact_ids]
        if isinstance(block, Box):
            yield cited
        else:
            current += cited
    yield current


def _same_thing(registry: Registry, fact_id: str) -> object:
    fact = registry.fact(fact_id)
    passages = frozenset((citation.source, citation.quote) for citation in fact.sources)
    return (fact.kind, str(fact.when), fact.issue, passages) if passages else fact_id


def _briefs(registry: Registry) -> Iterator[tuple[str, dict[str, str]]]:
    for info in list_briefs(REPO / "templates"):
        if info.name == "handout":
            yield from (("handout", {"topic": topic.id}) for topic in registry.topics)
        else:
            yield info.name, {}


def test_no_shipped_brief_states_a_fact_twice_in_a_section(registry: Registry) -> None:
    project = load_project(REPO)
    checked = []
    for name, overrides in _briefs(registry):
        brief = load_brief(name, project.templates_dir)
        params = brief_parameters(brief, project.params, overrides, [brief])
        doc = render_document(brief, registry, params)
        for section in _sections(doc):
            repeated = {fact_id for fact_id in section if section.count(fact_id) > 1}
            assert not repeated, f"{name} {overrides} states {repeated} twice in one section"
            if name == "stance-summary":
                continue
            things = [_same_thing(registry, fact_id) for fact_id in section]
            same = [fact_id for fact_id, thing in zip(section, things) if things.count(thing) > 1]
            assert not same, f"{name} {overrides} states the same thing twice in one section: {same}"
        checked.append((name, overrides.get("topic")))
    handouts = [topic for name, topic in checked if name == "handout"]
    assert len(handouts) == len(registry.topics) >= 8 and {"security", "international-positions"} <= set(handouts)
