"""Shared test set-up: every test uses a private cache folder and no SOURCE_DATE_EPOCH.

The cache is shared within a test session (so fonts and registries parsed
once serve every test), but never the user's own ~/.cache/briefgen. Tests
about the cache itself point BRIEFGEN_CACHE_DIR elsewhere.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
