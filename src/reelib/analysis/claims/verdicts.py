"""How evidence becomes a verdict: one comparison per measurement, one way of combining.

* **supported** -- every source/edition that measures it agrees within the tolerance;
* **partly supported** -- editions or stages disagree, the value is close but outside the
  tolerance (within twice of it), or the evidence is only a proxy for what is claimed;
* **contradicted** -- no evidence agrees, none is close;
* **not comparable** -- the data measure something else (ore tonnage vs oxide reserves);
* **not testable** -- the project's data do not cover it (the reason is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERDICTS = ("supported", "partly supported", "contradicted", "not comparable", "not testable")


@dataclass
class Evidence:
    """One measurement a claim is compared with."""

    value: float | None
    unit: str
    source: str
    edition: str
    label: str = ""


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
    raise ValueError(f"unknown comparison {op!r}")


def combine(results: list[tuple[str, str]], comparability: str = "same") -> tuple[str, list,
                                                                                   list]:
    """Combine (label, 'supports'|'close'|'contradicts') results into a verdict.

    All support -> supported; some support or any close -> partly supported; else
    contradicted. A proxy measure caps 'supported' at 'partly supported'.
    """
    supporting = [label for label, r in results if r == "supports"]
    others = [label for label, r in results if r != "supports"]
    if results and not others:
        verdict = "supported"
    elif supporting or any(r == "close" for _, r in results):
        verdict = "partly supported"
    else:
        verdict = "contradicted"
    if comparability == "proxy" and verdict == "supported":
        verdict = "partly supported"
    return verdict, supporting, others
