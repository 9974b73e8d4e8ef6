"""Claims: check each claim in the seed articles against the processed tables.

``verdicts`` says how measurements combine into a verdict; ``checks`` holds one check
function per test kind; ``evaluate`` runs the ledger."""
