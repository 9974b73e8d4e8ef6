"""reelib.readers.chain_shares: the cited secondary shares along the chain."""

import pytest

from reelib.readers import chain_shares as secondary
from reelib.analysis.supply_chain import cited_stage_share
from reelib.exceptions import MissingColumnError, SelectionError, UnparseableValueError


def test_real_file_gives_three_stages_for_2024(raw):
    shares = secondary.read_chain_shares()
    assert shares["stage"].tolist() == ["mining", "refining", "magnets"]
    assert shares["year"].tolist() == [2024] * 3
    assert cited_stage_share(shares, "magnets") == 94.0
    assert cited_stage_share(shares, "refining") == 91.0
    assert set(shares["source_id"]) == {secondary.SOURCE_ID}



@pytest.mark.parametrize("text, error, match", [
    ("stage,share\n1. Mining (ore),69\n", MissingColumnError, "china_share_pct"),
    ("stage,china_share_pct\n4. Recycling,5\n", UnparseableValueError, "row 2.*Recycling"),
    ("stage,china_share_pct\n1. Mining (ore),69\n3. Permanent magnets,9 4\n",
     UnparseableValueError, "row 3.*'9 4'"),
    ("stage,china_share_pct\n1. Mining (ore),169\n", UnparseableValueError, "'169'"),
])
def test_bad_rows_are_named(tmp_path, text, error, match):
    path = tmp_path / "chain.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=match):
        secondary.read_chain_shares(path)



def test_unknown_stage_lists_the_stages(raw):
    with pytest.raises(SelectionError, match="magnets"):
        cited_stage_share(secondary.read_chain_shares(), "smelting")

