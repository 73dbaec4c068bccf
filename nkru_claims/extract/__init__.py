"""From an article to proposed claims: read it, split it, and propose what it reports.

An analyst reads dozens of articles a week in five languages, and typing each claim by
hand is where the work stops. This package reads an article (``article``), splits it into
sentences (``sentences``) and turns each sentence that states something checkable into a
*proposal*: the claim's wording, its figures and period, the parties that take a stance
on it, and a checkability score (``propose``). ``document`` writes the proposals in the
exchange format, so that ``import`` (and ``extract --apply``) is the one path to rows.

Nothing here prints or reads files: the CLI reads the file and shows the proposals.
"""
