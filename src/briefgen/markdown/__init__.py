"""Markdown with citation marks, read into the document model.

It must not import the registry, templating, transforms, writers, build or
batch: it turns text into ``model`` blocks and knows nothing else.
"""
