"""Reference: tables the project authors itself, each row citing its source.

Country-name overrides, published corrections, the events registry, the claims ledger and
the trade headings. The YAML/CSV files live beside these modules.
"""
