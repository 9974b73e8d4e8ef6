"""reelib.readers.usgs_myb: splitting yearbook country labels (inline strings)."""

import pytest

from reelib.readers import usgs_myb as myb


class TestSplitCountryLabel:
    @pytest.mark.parametrize("label, expected", [
        ("Burmae", ("Burma", True, [])),
        ("China3", ("China", False, ["3"])),
        ("Indiae, 4", ("India", True, ["4"])),
        ("Thailande, 5", ("Thailand", True, ["5"])),
        ("Ukraine", ("Ukraine", False, [])),
        ("United States", ("United States", False, [])),
        ("Neodymium4, 5", ("Neodymium", False, ["4", "5"])),
    ])
    def test_labels(self, label, expected):
        assert myb.split_country_label(label) == expected

