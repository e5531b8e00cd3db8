"""Localisation: every word, date and number briefgen prints, in the brief's language (CLDR through Babel).

``labels`` holds the one table of words; ``dates`` and ``numbers`` format
registry dates and figures with Babel; ``languages`` maps a brief's language
to its CLDR locale; ``transform`` computes the labels writers print and
carries them in the document model. Babel is imported only when something
is formatted. It must not import templating, markdown, transforms, writers,
build or batch: the stages above ask it for labels, it asks nothing of them.
"""
