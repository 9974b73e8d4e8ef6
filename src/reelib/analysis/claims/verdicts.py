"""How evidence becomes a verdict: one comparison per measurement, one way of combining.

A claim is judged with the evidence that was current on the article's date (the newest
edition of each source published by then); later editions are reported as revisions and
do not change the verdict.

* **supported** -- every measurement of what is claimed agrees within the tolerance;
* **partly supported** -- measurements disagree, or one is close but outside the tolerance
  (within twice of it), or the evidence is a proxy (another stage or basis) that agrees;
* **not supported (proxy)** -- the only evidence is a proxy, and it does not agree: a proxy
  can support or fail to support a claim, never contradict it;
* **contradicted** -- no measurement of what is claimed agrees, none is close;
* **not comparable** -- the data measure something else (ore tonnage vs oxide reserves);
* **not testable** -- the project's data do not cover it (the reason is given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reelib.exceptions import RegistryError

VERDICTS = ("supported", "partly supported", "not supported (proxy)", "contradicted",
            "not comparable", "not testable")


def fact_key(verdict: str) -> str:
    """The key a report records a verdict's count under.

    >>> fact_key("not supported (proxy)")
    'claims_not_supported_proxy'
    """
    return "claims_" + re.sub(r"[^a-z]+", "_", verdict.lower()).strip("_")


@dataclass
class Evidence:
    """One measurement a claim is compared with; ``current`` when it was the newest
    edition of its source on the article's date."""

    value: float | None
    unit: str
    source: str
    edition: str
    label: str = ""
    current: bool = True
    published: str = ""
    source_ids: tuple[str, ...] = ()  # registry ids of the rows read (for citations)


@dataclass
class Outcome:
    """One claim's verdict with its evidence."""

    verdict: str
    evidence: list[Evidence] = field(default_factory=list)
    gap: float | None = None
    gap_unit: str = ""
    supporting: list[str] = field(default_factory=list)
    not_supporting: list[str] = field(default_factory=list)
    reason: str = ""
    revised_since: list[Evidence] = field(default_factory=list)  # later, different values
    after_article: bool = False  # no edition was out by the article's date
    inconsistency: str = ""


def compare(measured: float, claimed: float, tolerance: float, op: str = "approx") -> str:
    """Return 'supports', 'close' or 'contradicts' for one measurement.

    ``approx``: |measured - claimed| <= tol supports, <= 2 tol is close. ``gt``/``ge``: the
    measurement must exceed the claimed bound; below it by at most tol is close. ``lt``:
    mirror image. ``le_rank``: measured rank <= claimed rank supports.

    >>> compare(71.1, 70, 3), compare(66, 70, 3), compare(60, 70, 3)
    ('supports', 'close', 'contradicts')
    """
    if op == "approx":
        gap = abs(measured - claimed)
        return "supports" if gap <= tolerance else "close" if gap <= 2 * tolerance else \
            "contradicts"
    if op in ("gt", "ge"):
        if measured > claimed or (op == "ge" and measured == claimed):
            return "supports"
        return "close" if claimed - measured <= tolerance else "contradicts"
    if op == "lt":
        if measured < claimed:
            return "supports"
        return "close" if measured - claimed <= tolerance else "contradicts"
    if op == "le_rank":
        return "supports" if measured <= claimed else "contradicts"
    raise RegistryError(f"claims ledger: unknown comparison {op!r}; known: approx, gt, ge, "
                        "lt, le_rank")


def combine(results: list[tuple[str, str]], comparability: str = "same") -> tuple[str, list,
                                                                                   list]:
    """Combine (label, 'supports'|'close'|'contradicts') results into a verdict.

    All support -> supported; some support or any close -> partly supported; else
    contradicted. A proxy can at most partly support, and where it does not agree the
    claim is 'not supported (proxy)', never contradicted.

    >>> combine([("IEA", "contradicts")], "proxy")[0]
    'not supported (proxy)'
    >>> combine([("mining", "contradicts"), ("refining", "supports")], "ambiguous")[0]
    'partly supported'
    """
    supporting = [label for label, r in results if r == "supports"]
    others = [label for label, r in results if r != "supports"]
    agrees = bool(supporting) or any(r == "close" for _, r in results)
    if results and not others:
        verdict = "supported"
    elif agrees:
        verdict = "partly supported"
    else:
        verdict = "contradicted"
    if comparability == "proxy":
        verdict = "partly supported" if agrees else "not supported (proxy)"
    return verdict, supporting, others
