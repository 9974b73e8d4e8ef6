"""reelib.analysis.prices and the events registry on the real price tables."""


import numpy as np
import pandas as pd
import pytest

from reelib.analysis import prices as pa
from reelib.reference.events import events_for, load_events
from reelib.exceptions import SelectionError


def _cpi(values: dict[int, float], missing: tuple = ()) -> pd.DataFrame:
    rows = []
    for year, v in values.items():
        for m in range(1, 13):
            rows.append({"month": pd.Timestamp(year, m, 1),
                         "cpi_index_1982_84": None if (year, m) in missing else v})
    return pd.DataFrame(rows).astype({"cpi_index_1982_84": "Float64"})


class TestEventsAndInputs:
    def test_events_for_an_element(self):
        events = load_events()
        dy = events_for(events, "Dy", "2025-01-01", "2025-12-31")
        nd = events_for(events, "Nd", "2025-01-01", "2025-12-31")
        assert "licences-2025-04" in set(dy["event_id"]) - set(nd["event_id"])
        assert events["source"].str.len().min() > 20  # every event cites its source

    def test_price_basis_is_checked(self):
        assert pa.check_price_basis("real") == "real_usd_per_kg"
        with pytest.raises(SelectionError, match="real"):
            pa.check_price_basis("constant")

    def test_forecast_interval_brackets_the_mean(self):
        months = pd.date_range("2020-01-01", periods=36, freq="MS")
        monthly = pd.DataFrame({"month": months, "price": 50 * 1.01 ** np.arange(36)})
        fc = pa.forecast_ets(monthly, horizon=6)
        fut = fc[fc["is_forecast"]]
        assert len(fut) == 6 and (fut["lower"] < fut["mean"]).all()
        assert (fut["mean"] < fut["upper"]).all()

    def test_real_nd_inputs(self, processed):
        x = pa.price_inputs("Nd", processed("prices_annual"), processed("prices_daily"),
                            processed("cpi"), 2024)
        assert x.annual.set_index("year").loc[2024, "real_usd_per_kg"] == pytest.approx(56.0)
        assert set(x.monthly) == set(pa.DAILY_SOURCES.values())
        assert x.yearend["year"].tolist() == [2011, 2012, 2013, 2014, 2015]

