"""nkru-claims: a ledger of claims about the North Korea–Russia military relationship.

The package is a small core library (models, normalisation, quantities, matching,
services, reports) that knows nothing of the terminal, and a thin typer layer in
``nkru_claims.cli``.
"""

__version__ = "0.1.0"
