"""One module per report format; each exposes ``render(report, labels) -> bytes`` and reads
nothing but the report model it is given."""
