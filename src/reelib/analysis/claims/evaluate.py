"""Evaluate the whole ledger: one outcome per claim, and the count per verdict."""

from __future__ import annotations

import pandas as pd

from reelib.analysis.claims.checks import evaluate_claim
from reelib.analysis.claims.verdicts import Outcome
from reelib.reference.ledger import load_claims


#: the processed tables the checks read (``evaluate_all``'s ``data`` holds each by name)
TABLES = ("production", "reserves", "supply_stages", "trade", "prices_daily", "us_salient",
          "chain_shares", "trade_flows", "trade_materials")


def evaluate_all(data: dict[str, pd.DataFrame], claims: list[dict] | None = None
                 ) -> list[tuple[dict, Outcome]]:
    """Run every claim's test once: [(claim, outcome)]."""
    return [(c, evaluate_claim(c, data)) for c in claims or load_claims()]
