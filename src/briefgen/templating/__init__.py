"""Brief templates: find them, read their front matter, resolve parameters, render them to Markdown in a sandbox.

It may import the registry and l10n; it must not import transforms,
writers (beyond the list of formats), build or batch.
"""
