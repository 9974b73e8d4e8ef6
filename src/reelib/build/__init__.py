"""Build: the reports file, parameter checks, execution, scheduling, provenance and the
index page -- from processed tables to ``reports/``."""
