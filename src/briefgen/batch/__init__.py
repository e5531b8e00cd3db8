"""Many briefs from one plan: plan, validate, run in parallel (local processes or Dask), summarise.

The top of the pipeline beside ``cli``: it calls ``build`` for each job and
is imported by nothing but the command line and the public API.
"""

from __future__ import annotations

from briefgen.batch.run import MANIFEST_NAME, BatchResult, Plan, batch, load_plan

__all__ = ["MANIFEST_NAME", "BatchResult", "Plan", "batch", "load_plan"]
