"""Worker surveys and supplier questionnaires: XLSForms in, KoboToolbox / ODK submissions in,
safe aggregates out.

Shopfloor does not replace the collection apps: unions design forms as XLSForm and collect
with KoboToolbox or ODK Collect offline; Shopfloor takes the forms (:mod:`.forms`) and the
submissions (:mod:`.submissions`, importers in :mod:`shopfloor.sources.kobo` and
:mod:`shopfloor.sources.odk`), drops identifying metadata before storing anything
(:mod:`.minimise`), and turns answers into aggregates with confidence intervals and
small-cell suppression (:mod:`.aggregates`) that feed the discrepancy finder.
"""
