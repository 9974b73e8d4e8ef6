"""The reports file covers what the data hold (one price report per element)."""



from reelib.publish import specs


def test_one_price_report_per_element_with_enough_data(processed):
    from reelib.analysis.prices.series import elements_with_enough_data

    wanted = set(elements_with_enough_data(processed("prices_annual"),
                                           processed("prices_daily")))
    built = {s.parameters.get("element") for s in specs.load_reports_file()
             if s.notebook.name.startswith("06-")}
    assert built == wanted

