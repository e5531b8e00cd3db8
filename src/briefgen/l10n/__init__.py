"""Localisation: every word, date and number briefgen prints, in the brief's language (CLDR through Babel).

It must not import templating, markdown, transforms, writers, build or
batch: the stages above ask it for labels, it asks nothing of them.
"""
