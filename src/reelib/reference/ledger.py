"""The claims ledger (``claims.yaml``): every checkable claim in the seed articles.

Each entry paraphrases one claim in the project's own words and says how it is tested
(``test`` kind, parameters, tolerance, comparability). ``load_claims`` checks required
fields and unique ids.
"""

from __future__ import annotations

from pathlib import Path

from reelib import config
from reelib.exceptions import RegistryError
from reelib.files import yamltext

CLAIMS_FILE: Path = config.REFERENCE_DIR / "claims.yaml"


def load_claims(path: Path | None = None) -> list[dict]:
    """Read the claims ledger, checking required fields and unique ids."""
    doc = yamltext.safe_load((path or CLAIMS_FILE).read_text(encoding="utf-8"))
    claims, seen = doc["claims"], set()
    for c in claims:
        for key in ("id", "seed_file", "claim", "test"):
            if not c.get(key):
                raise RegistryError(f"claims ledger: entry {c.get('id')!r} lacks {key!r}")
        if c["id"] in seen:
            raise RegistryError(f"claims ledger: id {c['id']!r} is used twice")
        seen.add(c["id"])
    return claims
