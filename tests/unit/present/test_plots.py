

def test_every_verdict_has_a_colour():
    """A verdict without a colour is drawn black and missing from the legend."""
    from reelib.analysis.claims.verdicts import VERDICTS
    from reelib.present.plots import VERDICT_COLORS

    assert set(VERDICT_COLORS) == set(VERDICTS)
