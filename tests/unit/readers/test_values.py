"""reelib.readers.values: every printed form USGS uses, and a clear error for anything else."""

import pytest

from reelib.exceptions import UnparseableValueError
from reelib.readers.values import ParsedValue, parse_value


class TestParseValue:
    @pytest.mark.parametrize("raw, expected", [
        ("1,500", ParsedValue(1500.0, 1500.0, 1500.0, "exact")),
        ("0.5", ParsedValue(0.5, 0.5, 0.5, "exact")),
        ("44,000,000", ParsedValue(44e6, 44e6, 44e6, "exact")),
        (" 68 ", ParsedValue(68.0, 68.0, 68.0, "exact")),
        (1340, ParsedValue(1340.0, 1340.0, 1340.0, "exact")),
        ("—", ParsedValue(0.0, 0.0, 0.0, "zero")),
        ("--", ParsedValue(0.0, 0.0, 0.0, "zero")),
        ("0", ParsedValue(0.0, 0.0, 0.0, "zero")),
        ("NA", ParsedValue(None, None, None, "not_available")),
        ("", ParsedValue(None, None, None, "not_available")),
        (None, ParsedValue(None, None, None, "not_available")),
        ("W", ParsedValue(None, None, None, "withheld")),
        ("E", ParsedValue(None, None, None, "net_exporter")),
        ("XX", ParsedValue(None, None, None, "not_applicable")),
        (">85,000,000", ParsedValue(85e6, 85e6, None, "lower_bound")),
        (">95", ParsedValue(95.0, 95.0, None, "lower_bound")),
        ("<1,000", ParsedValue(None, 0.0, 1000.0, "upper_bound")),
        ("890–1,000", ParsedValue(None, 890.0, 1000.0, "range")),
        ("330 - 390", ParsedValue(None, 330.0, 390.0, "range")),
        ("s", ParsedValue(None, 0.0, 0.5, "less_than_half")),
        ("Large", ParsedValue(None, None, None, "qualitative")),
        ("Variable, depending on type of product", ParsedValue(None, None, None,
                                                                "qualitative")),
        ("-10", ParsedValue(-10.0, -10.0, -10.0, "exact")),
    ])
    def test_printed_forms(self, raw, expected):
        assert parse_value(raw) == expected

    def test_unparseable_value_names_file_row_column_and_value(self):
        with pytest.raises(UnparseableValueError) as err:
            parse_value("12O00", file="x.csv", row=7, column="Value")
        msg = str(err.value)
        assert "x.csv" in msg and "row 7" in msg and "'Value'" in msg and "'12O00'" in msg
        assert err.value.row == 7 and err.value.value == "12O00"

    def test_lost_minus_sign_is_not_guessed(self):
        with pytest.raises(UnparseableValueError):
            parse_value("?1")

