"""Analysis built on the evidence model: a factory's wages against the legal minimum and a
living-wage benchmark (:mod:`shopfloor.analysis.wages`), and how other factories in the same
province and country fared on each compliance criterion (:mod:`shopfloor.analysis.peers`).

Pure library functions with a small, fixed number of queries; every number keeps the
datapoint or finding (and so the source) it came from. See docs/analysis.md.
"""
