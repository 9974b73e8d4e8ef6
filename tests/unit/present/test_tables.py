"""reelib.present.tables: how report tables show numbers."""

import pandas as pd

from reelib.present.tables import column_formats, style_table
from reelib.present.text import fmt_p


def test_formats_follow_column_names_and_sizes():
    df = pd.DataFrame({
        "year": [2023, 2024], "first_year": [2014.0, 2021.0], "value_t": [350000.0, 7100.0],
        "share_pct": [71.05, 2700.0], "chow_p": [0.0003, None], "price_usd_per_kg": [1.71, 1010.0],
        "ratio": [0.1234, 0.5], "n_values": [206, 32], "country": ["China", "Burma"],
        "trend_pct_per_year": [2.13, -15.6], "real_usd_per_kg": [63.0, 83.49],
        "date": pd.to_datetime(["2010-07-08", "2012-03-13"]), "is_estimate": [True, False],
    })
    assert column_formats(df) == {
        "year": "{:.0f}", "first_year": "{:.0f}", "value_t": "{:,.0f}", "share_pct": "{:,.1f}",
        "chow_p": "{:.4f}", "price_usd_per_kg": "{:,.2f}", "ratio": "{:,.3f}",
        "n_values": "{:,.0f}", "trend_pct_per_year": "{:,.1f}", "real_usd_per_kg": "{:,.1f}",
        "date": "{:%Y-%m-%d}",
    }



def test_table_hides_row_numbers_blanks_missing_and_formats_numbers():
    df = pd.DataFrame({"country": ["World total", "China"], "value_old": [350000.0, 960.0],
                       "chow_p": [None, 3e-31]})
    html = style_table(df).to_html()
    assert "350,000" in html and "350000.0" not in html and "nan" not in html.lower()
    assert "&lt;0.0001" in html  # not 0.0000
    assert 'class="row_heading' not in html  # no index column
    indexed = style_table(df.set_index("country")).to_html()
    assert 'class="row_heading' in indexed  # a meaningful index stays
    filtered = pd.DataFrame({"a": [1, 2, 3]}).iloc[[0, 2]]
    assert 'class="row_heading' not in style_table(filtered).to_html()  # 0, 2: still row numbers



def test_years_in_a_mixed_value_column_have_no_thousands_separator():
    df = pd.DataFrame({"claimed": [2017.0, 40000.0], "unit": ["year", "patents"]})
    html = style_table(df).to_html()
    assert ">2017<" in html and ">40,000<" in html



def test_the_same_table_gives_the_same_html():
    df = pd.DataFrame({"a": [1.5, 2.5], "b": ["x", "y"]})
    assert style_table(df).to_html() == style_table(df.copy()).to_html()
    assert style_table(df).to_html() != style_table(df.assign(a=[1.5, 3.5])).to_html()



def test_long_tables_show_head_and_tail_and_say_so():
    df = pd.DataFrame({"year": range(1900, 2021)})
    html = style_table(df, max_rows=10).to_html()
    assert ">1904<" in html and ">2016<" in html and ">1960<" not in html
    assert "first and last 5 of 121 rows" in html



def test_p_values_in_prose():
    assert fmt_p(0.0003) == "p < 0.001" and fmt_p(0.05) == "p = 0.050"

