from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopfloorConfig(AppConfig):
    name = "shopfloor"
    verbose_name = _("Shopfloor evidence")

    def ready(self) -> None:
        import shopfloor.audit  # noqa: F401  (connects the audit-log receivers)
        import shopfloor.search  # noqa: F401  (keeps facilities' search keys up to date)
        from shopfloor import provenance  # noqa: F401  (connects the source-deletion signal)
        from shopfloor.evidence import vault  # noqa: F401  (deletes stored files with their row)
        from shopfloor.surveys import rules

        rules.register()  # survey results feed the discrepancy finder
