"""The union workspace: workers' own evidence, the counter-narrative to official data.

Unions document each problem at a factory (:mod:`.workflow`), raise it at the factory
committee every two months (:mod:`.meetings`), follow it up until it is fixed, and keep
before/after proof in a vault that strips EXIF/GPS from every copy it shows
(:mod:`.vault`, :mod:`.media`). They record cases and their outcomes (:mod:`.cases`),
membership towards Most Representative Status, agreements and NSSF enrolment
(:mod:`.organising`), and heat readings (:mod:`.heat`). Brands and the public see only
suppressed aggregates (:mod:`.aggregates`). Who may read or write what is decided in
:mod:`shopfloor.access`.

The pages (:mod:`shopfloor.web.workspace` and friends) are thin layers over these functions.
"""
