"""Transforms on the document model: functions ``Document -> Document`` (citations, notes, sources, checks).

They may read the registry's records; they must not import templating,
markdown, writers, build or batch.
"""
