"""Country names to ISO3 codes: country_converter's names plus a small reference file.

``harmonise_countries(df)`` adds ``country_iso3`` and ``entity`` (country, world or
residual) and raises ``UnknownCountryError`` on a name it does not know, naming the file
and row, so an unmapped name stops the run instead of becoming a silent NaN. Names are
matched whole -- an override, a listed alias, or exactly a country_converter short or
official name -- never by a pattern that a longer string could contain.
``display_name(iso3)`` gives the one name reports show for a country.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import UnknownCountryError
from reelib.files import yamltext

OVERRIDES_FILE: Path = config.REFERENCE_DIR / "countries.yaml"
ENTITY_TYPES = ("country", "world", "residual")


@lru_cache(maxsize=1)
def _reference() -> dict:
    return yamltext.safe_load(OVERRIDES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _overrides() -> dict[str, tuple[str, str]]:
    return {name: (v["code"], v["entity"]) for name, v in _reference()["overrides"].items()}


@lru_cache(maxsize=1)
def _converter():
    import country_converter as coco

    # country_converter 1.3 reads its table with pandas' default NA strings, so under
    # pandas 3 Namibia's ISO2 code "NA" becomes NaN and the constructor fails. Reading the
    # packaged table ourselves, with only empty cells as missing, sidesteps that.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    table = Path(coco.__file__).with_name("country_data.tsv")
    data = pd.read_csv(table, sep="\t", encoding="utf-8", dtype=str,
                       keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=data)


@lru_cache(maxsize=1)
def _known_codes() -> dict[str, str]:
    """Whole name -> ISO3: country_converter's short and official names, then aliases."""
    data = _converter().data
    out: dict[str, str] = {}
    for column in ("name_official", "name_short"):  # short names win on a clash
        for name, iso3 in zip(data[column], data["ISO3"]):
            if isinstance(name, str) and isinstance(iso3, str) and len(iso3) == 3:
                out[" ".join(name.split())] = iso3
    out.update({" ".join(str(k).split()): str(v)
                for k, v in (_reference().get("aliases") or {}).items()})
    return out


@lru_cache(maxsize=1)
def _exact_names() -> frozenset[str]:
    return frozenset(set(_known_codes()) | set(_overrides())
                     | set(_reference().get("usgs_names", [])))


def is_exact_country_name(name: str) -> bool:
    """Return True if ``name`` is exactly a known country (or aggregate) name."""
    return " ".join(str(name).split()) in _exact_names()


_FOOTNOTE_TAIL = re.compile(r"(?<=[A-Za-z)])\s*(?:,\s*)?(\d+(?:\s*,\s*\d+)*)$")
_QUALIFIER_TAIL = re.compile(r"^(?P<name>.+?)(?:\s*\((?P<paren>[^()]+)\)|,\s*(?P<comma>[^,]+))$")


def split_country_label(label: str) -> tuple[str, bool, list[str], str]:
    """Split a publisher's country cell into (name, is_estimate, footnotes, form).

    USGS glues footnote digits, an ``e`` (estimated) and the form of the figure to the
    name. They become flags; the name is matched whole afterwards. A trailing ``e`` or a
    qualifier counts only when the name without it is an exact country name and the cell
    with it is not, so 'Ukraine' and 'Congo (Kinshasa)' stay whole.

    >>> split_country_label("Indiae, 4")
    ('India', True, ['4'], '')
    >>> split_country_label("Brazil (crude and beneficiated)9")
    ('Brazil', False, ['9'], 'crude and beneficiated')
    >>> split_country_label("Argentina, crude ore")
    ('Argentina', False, [], 'crude ore')
    >>> split_country_label("Congo (Kinshasa)")
    ('Congo (Kinshasa)', False, [], '')
    """
    text = " ".join(str(label).split())
    footnotes: list[str] = []
    m = _FOOTNOTE_TAIL.search(text)
    if m:
        footnotes = [f.strip() for f in m.group(1).split(",")]
        text = text[: m.start()].rstrip(", ")
    form = ""
    q = _QUALIFIER_TAIL.match(text)
    if q and not is_exact_country_name(text) and is_exact_country_name(q.group("name")):
        text, form = q.group("name"), (q.group("paren") or q.group("comma")).strip()
    is_est = False
    if text.endswith("e") and not is_exact_country_name(text) and is_exact_country_name(text[:-1]):
        text, is_est = text[:-1], True
    return text, is_est, footnotes, form


@lru_cache(maxsize=4096)
def lookup_country(name: str) -> tuple[str, str] | None:
    """Return ``(iso3_or_code, entity)`` for a whole name, or None if unknown."""
    clean = " ".join(str(name).split())
    if clean in _overrides():
        return _overrides()[clean]
    iso3 = _known_codes().get(clean)
    return (iso3, "country") if iso3 else None


@lru_cache(maxsize=1)
def _code_tables() -> tuple[dict[str, str], dict[str, str]]:
    """ISO2 -> ISO3 and trade numeric code -> ISO3: country_converter's tables, then the
    trade sources' own codes from countries.yaml (``iso2_codes``, ``comtrade_codes``)."""
    data = _converter().data
    iso2 = {a: b for a, b in zip(data["ISO2"], data["ISO3"])
            if isinstance(a, str) and isinstance(b, str)}
    iso2.update({str(k): str(v) for k, v in (_reference().get("iso2_codes") or {}).items()})
    numeric = {str(int(float(a))): b for a, b in zip(data["UNcode"], data["ISO3"])
               if isinstance(a, str) and a.strip() and isinstance(b, str)}
    numeric.update({str(k): str(v)
                    for k, v in (_reference().get("comtrade_codes") or {}).items()})
    numeric["0"] = "WLD"  # UN Comtrade's partner 'World'
    return iso2, numeric


def iso3_codes(codes: pd.Series, kind: str, *, file: str | Path, column: str) -> pd.Series:
    """Map a column of trade-source country codes to ISO3 (``kind`` 'iso2' or 'numeric',
    the UN Comtrade/BACI numbering). An unknown code raises ``UnknownCountryError`` naming
    the file, the row (the series' index) and the code."""
    table = _code_tables()[0 if kind == "iso2" else 1]
    text = codes.astype("string")
    mapped = text.map(table)
    bad = mapped.isna()
    if bad.any():
        raise UnknownCountryError(
            file, f"not a known {'ISO 3166 alpha-2' if kind == 'iso2' else 'UN Comtrade'} "
            "country code", row=bad.idxmax(), column=column, value=text[bad].iloc[0],
            fix=f"add it under {'iso2_codes' if kind == 'iso2' else 'comtrade_codes'} in "
                f"{OVERRIDES_FILE.relative_to(config.PROJECT_ROOT)}")
    return mapped.astype("string")


@lru_cache(maxsize=512)
def display_name(iso3: str) -> str:
    """The one name reports show for a country code ('MMR' -> 'Myanmar').

    >>> display_name("MMR"), display_name("CHN"), display_name("WLD")
    ('Myanmar', 'China', 'World')
    """
    special = {"WLD": "World", "XOT": "Other countries"}
    names = _reference().get("display_names") or {}
    if iso3 in names:
        return str(names[iso3])
    if iso3 in special:
        return special[iso3]
    short = _converter().convert(iso3, src="ISO3", to="name_short", not_found=None)
    return short if isinstance(short, str) else iso3


def with_display_names(df: pd.DataFrame, column: str = "country", *,
                       iso3: str = "country_iso3", entity: str = "entity") -> pd.DataFrame:
    """Name every country the one way reports show it, keeping the source's spelling.

    ``column`` becomes ``display_name(iso3)`` on country rows ('Burma', 'Myanmar (Burma)'
    -> 'Myanmar'); the name as published moves to ``<column>_published`` beside it.
    Aggregates ('World total (rounded)', 'Other countries') keep their published labels.
    """
    published = df[column].astype("string")
    is_country = df[entity].astype("string").eq("country").fillna(False)
    shown = published.where(~is_country, df[iso3].astype("string").map(
        lambda code: display_name(code) if isinstance(code, str) else code))
    out = df.assign(**{column: shown.astype("string"), f"{column}_published": published})
    cols = list(df.columns)
    cols.insert(cols.index(column) + 1, f"{column}_published")
    return out.loc[:, cols]


def harmonise_countries(df: pd.DataFrame, column: str = "country", *,
                        file: str | Path = "<table>", row_column: str | None = "source_row"
                        ) -> pd.DataFrame:
    """Return ``df`` with ``country_iso3`` and ``entity`` added from ``df[column]``.

    Raises ``UnknownCountryError`` for the first name with no code, naming ``file`` and
    the value of ``row_column`` (the row in the source file) where the name appears.
    """
    names = df[column].astype("string")
    codes, entities = [], []
    for i, name in enumerate(names):
        hit = lookup_country(name) if pd.notna(name) else None
        if hit is None:
            row = df[row_column].iloc[i] if row_column and row_column in df else i
            raise UnknownCountryError(
                file, "country name has no ISO3 code", row=row, column=column, value=name,
                fix=f"add it to {OVERRIDES_FILE.relative_to(config.PROJECT_ROOT)}",
            )
        codes.append(hit[0])
        entities.append(hit[1])
    return df.assign(
        country_iso3=pd.Series(codes, index=df.index, dtype="string"),
        entity=pd.Categorical(entities, categories=ENTITY_TYPES),
    )
