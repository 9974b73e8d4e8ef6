"""Trade headings the reports use, and what each covers (HS/HTS 4-digit)."""

#: HS headings the rare-earth reports use, and what each covers.
HS_LABELS = {
    "2846": "Rare-earth compounds (incl. yttrium and scandium)",
    "2805": "Alkali/alkaline-earth and rare-earth metals (broader than rare earths)",
    "8505": "Permanent magnets and electromagnets (broader than NdFeB magnets)",
}
