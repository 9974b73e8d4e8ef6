"""One check function per test kind in the claims ledger, dispatched through a registry.

``@check("kind")`` registers a function ``(claim, data) -> Outcome``; ``evaluate_claim``
looks the claim's ``test`` up in ``CHECKS``. Every check turns its measurements into
(label, comparison) pairs and hands them to ``verdicts.combine``, so all claims share one
way of combining evidence into a verdict.

Checks on a published series judge the claim at its date (``as_of``: the article's date,
or the date the ledger gives an undated article): the evidence is the newest edition
published by then. Later editions are listed as "revised since" when their value differs;
they do not change the verdict. When no edition was out yet, the earliest one is used and
the outcome says the evidence came after the article.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from reelib.analysis.claims.verdicts import Evidence, Outcome, combine, compare
from reelib.analysis.prices.series import daily_series
from reelib.analysis.shares import compute_shares
from reelib.analysis.supply_chain import stage_shares
from reelib.analysis.trade_dependence import partner_shares, select_flows
from reelib.exceptions import RegistryError
from reelib.reference.countries import display_name
from reelib.reference.events import load_events
from reelib.reference.export_controls import covering, load_export_controls, status_on
from reelib.sources.registry import edition_dates, source_names

Check = Callable[[dict, dict[str, pd.DataFrame]], Outcome]
#: test kind -> check function
CHECKS: dict[str, Check] = {}


def check(*kinds: str) -> Callable[[Check], Check]:
    """Register a check function for one or more test kinds."""

    def register(fn: Check) -> Check:
        for kind in kinds:
            CHECKS[kind] = fn
        return fn

    return register


def as_of(claim: dict) -> str:
    """The date (ISO prefix) a claim is judged at."""
    return str(claim.get("as_of") or claim.get("article_date") or "9999")


def _settings(claim: dict) -> tuple[dict, float, str, float | None]:
    return (claim.get("params", {}) or {}, float(claim.get("tolerance", 0) or 0),
            claim.get("comparability", "same"), claim.get("quantity"))


def _outcome(claim: dict, verdict: str, evidence: list[Evidence], sup: list, oth: list,
             **kwargs) -> Outcome:
    """An outcome with the revisions and dating that every check reports the same way."""
    current = [e for e in evidence if e.current]
    newest = max((e.published for e in current), default="")
    base = current[-1].value if current else None
    revised = [e for e in evidence if not e.current and e.value is not None
               and e.published > newest and e.value != base]
    return Outcome(verdict, evidence, supporting=sup, not_supporting=oth,
                   reason=kwargs.pop("reason", claim.get("notes", "")).strip(),
                   revised_since=revised,
                   after_article=bool(current) and all(e.published > as_of(claim)
                                                       for e in current), **kwargs)


def _dated(table: pd.DataFrame, claim: dict) -> pd.DataFrame:
    """Rows with ``published`` and ``current`` (the newest edition out by the claim's
    date; the earliest edition if none was)."""
    dates = edition_dates()
    t = table.assign(published=table["edition"].map(dates).fillna("").astype(str))
    eds = t.drop_duplicates("edition").sort_values("published")
    before = eds[eds["published"] <= as_of(claim)]
    pick = before["edition"].iloc[-1] if len(before) else eds["edition"].iloc[0]
    return t.assign(current=t["edition"] == pick)


def _ree(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["commodity"] == "Rare earths"]


# --- production ----------------------------------------------------------------------------


def _production_year(data: dict, claim: dict, year: int) -> pd.DataFrame:
    p = _ree(data["production"])
    p = p[(p["measure"] == "Mine production") & (p["year"] == year)]
    if p.empty:
        return p
    return _dated(p, claim)


def _ids(col: pd.Series) -> tuple[str, ...]:
    """The distinct source ids of a column, in order: what the evidence cites."""
    return tuple(str(v) for v in pd.unique(col.dropna().astype(str)))


def _by_edition(rows: pd.DataFrame, measure, unit: str, label: str, judge
                ) -> tuple[list[Evidence], list[tuple[str, str]]]:
    """Evidence from each edition in ``rows`` (oldest first): ``measure(g)`` gives the
    edition's value or None (no evidence). Editions current at the article's date are
    judged by ``judge(value)``; later ones are evidence only (revised since)."""
    evidence, results = [], []
    for edition, g in rows.sort_values("published").groupby("edition", sort=False):
        value = measure(g)
        if value is None:
            continue
        current = bool(g["current"].iloc[0])
        name = source_names(g["source_id"].unique())
        evidence.append(Evidence(value, unit, name, str(edition), label, current,
                                 str(g["published"].iloc[0]), _ids(g["source_id"])))
        if current:
            results.append((f"{name} {edition}", judge(value)))
    return evidence, results


def _rank_of(values: pd.Series, countries: pd.Series, country: str) -> int | None:
    """The country's rank by value (1 = largest; ties share the best), or None."""
    mine = values.rank(ascending=False, method="min")[countries == country]
    return None if mine.empty else int(mine.iloc[0])


def _share_evidence(production_year: pd.DataFrame, country: str) -> list[Evidence]:
    out = []
    for edition, g in production_year.sort_values("published").groupby("edition", sort=False):
        if not (g["country_iso3"] == country).any() or not (g["country_iso3"] == "WLD").any():
            continue
        s = compute_shares(g.rename(columns={"production_t": "value"}))
        v = s.loc[s["country_iso3"] == country, "share_pct"]
        out.append(Evidence(float(v.iloc[0]), "%", source_names(g["source_id"].unique()),
                            str(edition), f"share of world mine production "
                            f"{int(g['year'].iloc[0])}", bool(g["current"].iloc[0]),
                            str(g["published"].iloc[0]), _ids(g["source_id"])))
    return out


def _iea_evidence(supply: pd.DataFrame, claim: dict, country: str, stage: str, year: int
                  ) -> list[Evidence]:
    s = stage_shares(supply)
    row = s[(s["stage"] == stage) & (s["year"] == year) & (s["country_iso3"] == country)]
    if row.empty:
        return []
    edition = str(supply["edition"].iloc[0])
    published = edition_dates().get(edition, "")
    return [Evidence(float(row["share_pct"].iloc[0]), "%",
                     source_names(supply["source_id"].unique()), edition,
                     f"share of {stage} (magnet rare earths) {year}", True, published,
                     _ids(supply["source_id"]))]


@check("production_share", "iea_stage_share", "stage_ambiguous")
def _share(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    test, year, country = claim["test"], int(claim["year"]), claim["country"]
    op = params.get("op", "approx")
    evidence: list[Evidence] = []
    if test in ("production_share", "stage_ambiguous"):
        evidence += _share_evidence(_production_year(data, claim, year), country)
    if test == "iea_stage_share":
        evidence += _iea_evidence(data["supply_stages"], claim, country, params["stage"], year)
    if test == "stage_ambiguous":
        evidence += _iea_evidence(data["supply_stages"], claim, country, "refining", year)
    current = [e for e in evidence if e.current]
    if not current:
        return Outcome("not testable", reason="no evidence for that country and year")
    results = [(f"{e.source} {e.edition} ({e.label})", compare(e.value, claimed, tol, op))
               for e in current]
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth, gap=current[-1].value - claimed,
                    gap_unit="pp")


@check("production_rank")
def _production_rank(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    rows = _production_year(data, claim, int(claim["year"]))

    def rank(g: pd.DataFrame) -> int | None:
        c = g[(g["entity"] == "country") & g["production_t"].notna()]
        return _rank_of(c["production_t"], c["country_iso3"], claim["country"])

    evidence, results = _by_edition(rows, rank, "rank", "rank in world mine production",
                                    lambda r: compare(r, claimed, 0, "le_rank"))
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("production_ratio")
def _production_ratio(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    rows = _production_year(data, claim, int(claim["year"]))

    def ratio(g: pd.DataFrame) -> float | None:
        v = g.set_index("country_iso3")["production_t"]
        if claim["country"] not in v.index or params["to"] not in v.index:
            return None
        return 100 * float(v[claim["country"]]) / float(v[params["to"]])

    evidence, results = _by_edition(
        rows, ratio, "%", f"output as a share of {params['to']}'s",
        lambda r: compare(r, 100 * float(params["max_ratio"]), 0, "lt"))
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("production_change")
def _production_change(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    year = int(claim["year"])
    p = _ree(data["production"])
    p = _dated(p[(p["measure"] == "Mine production") & (p["country_iso3"] == claim["country"])
                 & p["year"].isin([year - 1, year])], claim)

    def change(g: pd.DataFrame) -> float | None:
        v = g.set_index("year")["production_t"]
        if year - 1 not in v.index or year not in v.index:
            return None
        return 100 * (float(v[year]) / float(v[year - 1]) - 1)

    op = "gt" if params.get("direction", "up") == "up" else "lt"
    evidence, results = _by_edition(p, change, "%", f"change in output {year - 1}-{year}",
                                    lambda c: compare(c, 0, 0, op))
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("first_production_year")
def _first_production_year(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    p = _ree(data["production"])
    us = p[(p["country_iso3"] == claim["country"]) & (p["year"] > int(params["after"]))]
    latest = us.sort_values(["year", "edition_published"]).groupby("year").tail(1)
    producing = latest[latest["production_t"] > 0]
    if producing.empty:
        return Outcome("not testable", reason="no production after the given year")
    first = producing.iloc[0]
    zeros = latest[(latest["year"] < first["year"]) & (latest["production_t"] == 0)]
    name = source_names([first["source_id"]])
    ev = Evidence(int(first["year"]), "year", name, str(first["edition"]),
                  f"first year with output after {params['after']} "
                  f"({first['production_t']:,.0f} t)", source_ids=(str(first["source_id"]),))
    gap = int(first["year"]) - int(claimed)
    result = "supports" if gap == 0 else "close" if abs(gap) <= tol else "contradicts"
    verdict, sup, oth = combine([(f"{name} {first['edition']}", result)], comp)
    years = [str(int(y)) for y in zeros["year"]]
    zero_years = " and ".join([", ".join(years[:-1]), years[-1]] if len(years) > 1 else years)
    reason = claim.get("notes", "") + (f" U.S. output was 0 t in {zero_years} and "
                                       f"{first['production_t']:,.0f} t in "
                                       f"{int(first['year'])}." if zero_years else "")
    return _outcome(claim, verdict, [ev], sup, oth, gap=gap, gap_unit="years", reason=reason)


# --- reserves ------------------------------------------------------------------------------


def _reserves(data: dict, claim: dict) -> pd.DataFrame:
    return _dated(_ree(data["reserves"]), claim)


@check("reserves_value")
def _reserves_value(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    r = _reserves(data, claim)
    rows = r[r["country_iso3"] == claim["country"]].sort_values("published")
    evidence, results, gap = [], [], None
    for row in rows.itertuples():
        name = source_names([row.source_id])
        value = None if pd.isna(row.reserves_t) else float(row.reserves_t)
        evidence.append(Evidence(value, "t", name, row.edition,
                                 "reserves" + (" (not available)" if value is None else ""),
                                 bool(row.current), row.published, (str(row.source_id),)))
        if row.current and value is not None:
            gap = 100 * (value - claimed) / claimed
            results.append((f"{name} {row.edition}", compare(gap, 0, tol, "approx")))
    if not results:
        return _outcome(claim, "not testable", evidence, [], [],
                        reason="no reserves figure in the edition current at the date")
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth, gap=gap, gap_unit="%")


@check("reserves_rank")
def _reserves_rank(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    r = _reserves(data, claim)

    def rank(g: pd.DataFrame) -> int | None:
        g = g.dropna(subset=["reserves_t"])
        return _rank_of(g["reserves_t"], g["country_iso3"], claim["country"])

    evidence, results = _by_edition(
        r[r["entity"] == "country"], rank, "rank", "reserves rank",
        lambda k: "supports" if k == int(claimed) else "contradicts")
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("reserves_exist")
def _reserves_exist(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    r = _reserves(data, claim)
    rows = r[(r["country_iso3"] == claim["country"]) & r["current"]]
    evidence = [Evidence(None if pd.isna(x.reserves_t) else float(x.reserves_t), "t",
                         source_names([x.source_id]), x.edition, "reserves", True, x.published,
                         (str(x.source_id),))
                for x in rows.itertuples()]
    results = [(f"{e.source} {e.edition}", "supports" if (e.value or 0) > 0 else "contradicts")
               for e in evidence]
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


# --- trade and exports ---------------------------------------------------------------------


def _partner_year(claim: dict) -> int:
    return int(claim["year"])


@check("import_partner_rank", "import_share")
def _imports(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    year = _partner_year(claim)
    rows = select_flows(data["trade"], reporter_iso3=params["reporter"], flow="import",
                        hs_code=params["hs_code"], years=(year, year))
    s = partner_shares(rows)
    mine = s[s["partner_iso3"] == claim["country"]].iloc[0]
    name, edition = source_names(rows["source_id"].unique()), str(rows["edition"].iloc[0])
    evidence = [Evidence(int(mine["rank"]), "rank", name, edition,
                         f"rank among {len(s)} partners, {year}",
                         source_ids=_ids(rows["source_id"])),
                Evidence(float(mine["share_pct"]), "%", name, edition,
                         f"share of imports by value, {year}",
                         source_ids=_ids(rows["source_id"]))]
    if claim["test"] == "import_partner_rank":
        ok = compare(int(mine["rank"]), params.get("max_rank", claimed), 0, "le_rank")
    else:
        ok = compare(float(mine["share_pct"]), float(params["min_share"]), 0, "gt")
    verdict, sup, oth = combine([(name, ok)], comp)
    return _outcome(claim, verdict, evidence, sup, oth,
                    reason=(claim.get("notes", "") + f" Data for {year}, the last full year "
                            "before the article.").strip())


@check("export_share_of_output")
def _export_share(claim: dict, data: dict) -> Outcome:
    """U.S. exports of ores and compounds as a share of mine output, from the editions out
    by the claim's date (a later edition is shown as revised since, never as current)."""
    params, tol, comp, claimed = _settings(claim)
    year = int(claim["year"])
    sal = data["us_salient"]
    exports = sal[(sal["item"] == params["item"]) & (sal["year"] == year)]
    prod = _ree(data["production"])
    prod = prod[(prod["country_iso3"] == claim["country"]) & (prod["year"] == year)
                & (prod["measure"] == "Mine production")]
    if exports.empty or prod.empty:
        return Outcome("not testable", reason=f"no U.S. exports or output for {year}")
    exports, prod = _dated(exports, claim), _dated(prod, claim)
    output = prod.sort_values("published").groupby("edition", sort=False)["production_t"].last()

    def share(g: pd.DataFrame) -> float | None:
        out = output.get(g["edition"].iloc[0], output.iloc[-1] if len(output) else None)
        return None if out is None or pd.isna(out) or float(out) <= 0 else \
            100 * float(g["value"].iloc[0]) / float(out)

    evidence, results = _by_edition(
        exports, share, "%", f"U.S. exports of ores and compounds as a share of mine output, "
        f"{year}", lambda v: compare(v, float(params["min_share"]), 0, "gt"))
    if not results:
        return Outcome("not testable", reason=f"no edition out by {as_of(claim)} gives both")
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


# --- prices --------------------------------------------------------------------------------


@check("price_change")
def _price_change(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    d = daily_series(data["prices_daily"], params["element"], params["source_id"])
    end = pd.Timestamp(params["end"])
    window = d[(d["date"] <= end) & (d["date"] > end - pd.DateOffset(
        months=int(params["months"])))]
    if window.empty:
        return Outcome("not testable", reason="no quotes in the window")
    low, last = window["price"].min(), window["price"].iloc[-1]
    change = 100 * (last / low - 1)
    quotes = data["prices_daily"]
    edition = str(quotes.loc[quotes["source_id"] == params["source_id"], "edition"].iloc[0])
    name = source_names([params["source_id"]])
    ev = Evidence(float(change), "%", name, edition,
                  f"{params['element']} oxide: from the {params['months']}-month low "
                  f"{low:.2f} to {last:.2f} ({window['date'].iloc[-1]:%Y-%m-%d})",
                  source_ids=(str(params["source_id"]),))
    verdict, sup, oth = combine([(name, compare(change, claimed, tol))], comp)
    return _outcome(claim, verdict, [ev], sup, oth, gap=change - claimed, gap_unit="pp")


# --- policies, and claims the data cannot test -------------------------------------------


def _independent(event) -> bool:
    """An event counts as evidence only when a public record stands behind it, not the
    article being checked (events.csv sources start with 'Public record')."""
    return str(event["source"]).strip().startswith("Public record")


@check("policy_record")
def _policy_record(claim: dict, data: dict) -> Outcome:
    """Registered events before the article's date that support or contradict it. A claim
    whose premise had ended before the article (``premise_ended``: a policy abolished) is
    contradicted, whatever else supports it; an event recorded only from the article itself
    is no evidence for it."""
    params, tol, comp, claimed = _settings(claim)
    events = load_events().set_index("event_id")
    results, evidence, own = [], [], []
    for key, outcome in (("supports", "supports"), ("contradicts", "contradicts"),
                         ("premise_ended", "contradicts")):
        for event_id in params.get(key, []):
            if event_id not in events.index:
                raise RegistryError(f"claim {claim['id']}: unknown event {event_id!r}")
            e = events.loc[event_id]
            if f"{e['date']:%Y-%m-%d}" > as_of(claim):
                continue  # not yet happened when the article appeared
            if not _independent(e):
                own.append(event_id)
                continue
            evidence.append(Evidence(None, "event", "events registry", f"{e['date']:%Y-%m-%d}",
                                     f"{event_id}: {e['event']} ({e['source']})"))
            results.append((event_id, outcome))
            if key == "premise_ended":
                return _outcome(claim, "contradicted", evidence, [], [event_id],
                                reason=(f"The premise had ended before the article: "
                                        f"{e['event']} ({e['date']:%B %Y}). "
                                        + claim.get("notes", "")).strip())
    if not results:
        return Outcome("not testable", reason=(
            f"the only record of {', '.join(own)} is the article itself" if own else
            "no registered event before the article's date"))
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("export_control")
def _export_control(claim: dict, data: dict) -> Outcome:
    """Whether China had a measure of the claimed kind (``kind``: material, technology,
    equipment, product or any) covering the commodity (and ``element``) in force on the
    article's date (``reference.export_controls``, each row with its public text)."""
    params, tol, comp, claimed = _settings(claim)
    controls = load_export_controls()
    day = as_of(claim)
    status = status_on(controls, day).set_index("control_id")["status"]
    cover = covering(controls, params["commodity"], params.get("element"))
    others = cover[cover["control_id"].map(status).eq("in force")]  # any kind
    kinds = params.get("kind", "any")
    live = others if kinds == "any" else others[others["item_kind"].isin(kinds.split(";"))]
    evidence = [Evidence(None, "measure", "export controls", f"{r.in_force:%Y-%m-%d}",
                         f"{r.short}: {r.coverage} ({r.source})")
                for r in (live if len(live) else others).itertuples()]
    ok = "supports" if len(live) else "contradicts"
    verdict, sup, oth = combine([(f"in force on {day}", ok)], comp)
    reason = claim.get("notes", "")
    if not len(live):
        reason = (f"No {kinds} measure covering {params['commodity'].lower()} was in force on "
                  f"{day}; in force then: "
                  f"{'; '.join(others['short']) or 'none'}. " + reason).strip()
    return _outcome(claim, verdict, evidence, sup, oth, reason=reason)


@check("chain_share")
def _chain_share(claim: dict, data: dict) -> Outcome:
    """China's share of a chain stage from the secondary compilation (``chain_shares``):
    a cited figure, so at most a proxy."""
    params, tol, comp, claimed = _settings(claim)
    t = data["chain_shares"]
    row = t[t["stage"].str.lower().str.contains(params["stage"])]
    if row.empty:
        return Outcome("not testable", reason=f"no {params['stage']} stage in the compilation")
    r = row.iloc[0]
    ev = Evidence(float(r["china_share_pct"]), "%", source_names([r["source_id"]]),
                  str(r["edition"]), f"China's share of {r['stage']}, {int(r['year'])} "
                  "(secondary compilation, cited)", source_ids=(str(r["source_id"]),))
    verdict, sup, oth = combine([(ev.source, compare(float(r["china_share_pct"]),
                                                     float(claimed), tol,
                                                     params.get("op", "approx")))], comp)
    return _outcome(claim, verdict, [ev], sup, oth)


@check("trade_flow_value")
def _trade_flow_value(claim: dict, data: dict) -> Outcome:
    """A bilateral trade value (``params``: hs_code, exporter, importer, year) from UN
    Comtrade, as the exporter reported it and as the importer reported it (each side's own
    figure, never mixed). ``tolerance`` is in percent of the claimed value."""
    params, tol, comp, claimed = _settings(claim)
    t = data["trade_materials"]
    year, hs = int(params["year"]), str(params["hs_code"])
    t = t[(t["year"] == year) & (t["hs_code"] == hs)]
    sides = [("export", params["exporter"], params["importer"], "as the exporter reported"),
             ("import", params["importer"], params["exporter"], "as the importer reported")]
    evidence, results = [], []
    for flow, reporter, partner, how in sides:
        row = t[(t["flow"] == flow) & (t["reporter_iso3"] == reporter)
                & (t["partner_iso3"] == partner)]
        if row.empty:
            continue
        r = row.iloc[0]
        name = source_names([r["source_id"]])
        evidence.append(Evidence(float(r["value_usd"]), "USD", name, str(r["edition"]),
                                 f"HS {hs} {params['exporter']} to {params['importer']}, "
                                 f"{year}, {how}", source_ids=(str(r["source_id"]),)))
        results.append((f"{name} ({how})",
                        compare(100 * float(r["value_usd"]) / float(claimed), 100.0, tol)))
    if not evidence:
        return Outcome("not testable", reason=f"no HS {hs} flow for {year} in either "
                       "partner's figures")
    verdict, sup, oth = combine(results, comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("round_trip")
def _round_trip(claim: dict, data: dict) -> Outcome:
    """Countries that are among the ``top`` origins of China's imports of rare-earth
    compounds (HS 2846, UN Comtrade) and among the ``top`` customers of its magnet exports
    (HS 850511, BACI extract) in ``year``: a trace of 'send ore, buy back products' at the
    level trade statistics allow (a proxy: compounds in, magnets out)."""
    params, tol, comp, claimed = _settings(claim)
    year, top = int(params["year"]), int(params.get("top", 10))
    rows = select_flows(data["trade"], reporter_iso3="CHN", flow="import", hs_code="2846",
                        years=(year, year))
    origins = partner_shares(rows)
    origins = origins[origins["partner_entity"] == "country"].nlargest(top, "amount")
    flows = data["trade_flows"]
    out = flows[(flows["material"] == "magnets") & (flows["year"] == year)
                & (flows["exporter_iso3"] == "CHN")].nlargest(top, "value_usd")
    both = sorted(set(origins["partner_iso3"]) & set(out["importer_iso3"]))
    names = ", ".join(display_name(c) for c in both) or "none"
    evidence = [Evidence(len(both), "countries", source_names(
        list(rows["source_id"].unique()) + list(out["source_id"].unique())),
        f"{rows['edition'].iloc[0]}; {out['edition'].iloc[0]}",
        f"among China's top {top} origins of HS 2846 and top {top} customers of HS 850511, "
        f"{year}: {names}", source_ids=_ids(pd.concat([rows["source_id"], out["source_id"]])))]
    verdict, sup, oth = combine([("trade", compare(len(both), float(claimed), 0, "ge"))], comp)
    return _outcome(claim, verdict, evidence, sup, oth)


@check("not_testable")
def _not_testable(claim: dict, data: dict) -> Outcome:
    return Outcome("not testable", reason=claim.get("notes", ""))


@check("not_comparable")
def _not_comparable(claim: dict, data: dict) -> Outcome:
    return Outcome("not comparable", reason=claim.get("notes", ""))


def internal_inconsistency(claim: dict) -> str:
    """The article contradicting itself: the ledger's note, with any arithmetic it states.

    For ``endpoints: [start, end, claimed_pct]`` the implied change is computed.
    """
    note = str(claim.get("inconsistency") or "").strip()
    ends = claim.get("endpoints")
    if ends and len(ends) == 3:
        implied = 100 * (float(ends[1]) / float(ends[0]) - 1)
        note = (note + f" (computed: {float(ends[0]):g} to {float(ends[1]):g} is "
                f"{implied:+.1f}%, against {float(ends[2]):g}% stated)").strip()
    return note


def evaluate_claim(claim: dict, data: dict[str, pd.DataFrame]) -> Outcome:
    """Run one claim's check on the processed tables in ``data``."""
    fn = CHECKS.get(claim["test"])
    if fn is None:
        raise RegistryError(f"claim {claim['id']}: unknown test {claim['test']!r}; known: "
                            f"{sorted(CHECKS)}")
    outcome = fn(claim, data)
    outcome.inconsistency = internal_inconsistency(claim)
    return outcome
