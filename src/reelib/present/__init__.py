"""Present: the report object, prose, tables, figures and the summary -- where numbers
become sentences, styled tables and charts."""
