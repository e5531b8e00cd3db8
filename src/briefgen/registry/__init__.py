"""The fact registry: read YAML files, validate them, and answer queries about facts, sources and entities.

Stage one of the pipeline. It must not import templating, markdown, the
model, transforms, writers, build or batch: it knows nothing of briefs.
"""

from __future__ import annotations

from briefgen.registry.loader import Registry, load_registry

__all__ = ["Registry", "load_registry"]
