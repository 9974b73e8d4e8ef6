"""reelib.reference.countries.split_country_label: flags glued to country cells."""

import pytest

from reelib.reference.countries import split_country_label


class TestSplitCountryLabel:
    @pytest.mark.parametrize("label, expected", [
        ("Burmae", ("Burma", True, [], "")),
        ("China3", ("China", False, ["3"], "")),
        ("Indiae, 4", ("India", True, ["4"], "")),
        ("Thailande, 5", ("Thailand", True, ["5"], "")),
        ("Ukraine", ("Ukraine", False, [], "")),
        ("United States", ("United States", False, [], "")),
        ("Neodymium4, 5", ("Neodymium", False, ["4", "5"], "")),
        # data-release cells: the figure's form in brackets or after a comma
        ("United States (crude)", ("United States", False, [], "crude")),
        ("Brazil (crude and beneficiated)9", ("Brazil", False, ["9"], "crude and beneficiated")),
        ("Argentina, crude ore", ("Argentina", False, [], "crude ore")),
        ("United States1", ("United States", False, ["1"], "")),
        ("Argentinae", ("Argentina", True, [], "")),
        # a bracket that is part of the name stays
        ("Congo (Kinshasa)", ("Congo (Kinshasa)", False, [], "")),
        ("World total (rounded)", ("World total (rounded)", False, [], "")),
    ])
    def test_labels(self, label, expected):
        assert split_country_label(label) == expected
