"""The matcher: is this the same claim, and what facts does a text state?

One package for everything that reads and compares claim texts, so that a reader finds
any behaviour of ``dedupe``, ``compare`` and the facts shown by ``add`` in one place:

- ``normalise``: scripts, widths, punctuation, numbers in one written form;
- ``quantities`` / ``quantity``: figures with bounds and units, and their value type;
- ``fact_patterns``: dates, negation, direction and topic words;
- ``compare``: the verdict for a pair (facts gate, similarity score);
- ``blocking``: which pairs of a database are worth scoring;
- ``evaluate``: precision and recall on labelled pairs.

This file imports nothing: a command that only shows a stored quantity must not pay
for compiling the parser's patterns.
"""
