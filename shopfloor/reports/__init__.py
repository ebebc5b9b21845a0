"""Reports built from the library's data: charts (:mod:`shopfloor.reports.charts`), PDFs with
Khmer (:mod:`shopfloor.reports.pdf`), the factory brief (:mod:`shopfloor.reports.brief`).
Everything renders offline, on the server (see docs/reports.md)."""
