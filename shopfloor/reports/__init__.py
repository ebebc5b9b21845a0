"""Reports built from the library's data: charts now (:mod:`shopfloor.reports.charts`),
briefs and packs as PDF later. Everything renders offline, on the server."""
