"""Cases: a dismissal, discrimination, unpaid wages or a closure, followed to its outcome."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkersAffected, WorkspaceRecord


class Case(WorkersAffected, WorkspaceRecord):
    """One case the union takes up at one factory."""

    class Kind(models.TextChoices):
        DISMISSAL = "dismissal", _("dismissal")
        UNION_BUSTING = "union_busting", _("dismissal of union founders or leaders")
        DISCRIMINATION = "discrimination", _("discrimination")
        HARASSMENT = "harassment", _("harassment or violence")
        UNPAID_WAGES = "unpaid_wages", _("unpaid wages or benefits")
        CLOSURE = "closure", _("factory closure")
        FDC_NON_RENEWAL = "fdc_non_renewal", _("contract not renewed")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SETTLED = "settled", _("settled")
        CLOSED = "closed", _("closed without settlement")
        WITHDRAWN = "withdrawn", _("withdrawn")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("what happened, in a few words"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opened_on = models.DateField(_("date it happened"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    issue = models.ForeignKey(
        "shopfloor.MonitoringIssue", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases", verbose_name=_("monitoring issue"),
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_on__isnull=False)),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title



class CaseWorker(models.Model):
    """A worker the case is about. The name is optional (a pseudonym or initials do) and
    is never shown outside the union; the union role tells whether the employer went after
    the union (founders and leaders dismissed)."""

    class UnionRole(models.TextChoices):
        FOUNDER = "founder", _("union founder")
        LEADER = "leader", _("union leader")
        MEMBER = "member", _("union member")
        NONE = "none", _("not a union member")
        UNKNOWN = "unknown", _("unknown")

    class Sex(models.TextChoices):
        FEMALE = "female", _("woman")
        MALE = "male", _("man")
        UNSTATED = "unstated", _("not stated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="workers")
    name = models.CharField(_("name or initials"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices,
                           default=Sex.UNSTATED)
    union_role = models.CharField(_("union role"), max_length=10, choices=UnionRole.choices,
                                  default=UnionRole.UNKNOWN)
    dismissed_on = models.DateField(_("dismissed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker in a case")
        verbose_name_plural = _("workers in cases")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.get_union_role_display()} ({self.get_sex_display()})"


class CaseEscalation(models.Model):
    """A step outside the factory: a complaint to the labour ministry, the Arbitration
    Council, BFC, a buyer, a global union."""

    class Body(models.TextChoices):
        MOLVT = "molvt", _("Ministry of Labour (MoLVT)")
        ARBITRATION_COUNCIL = "arbitration_council", _("Arbitration Council")
        BFC = "bfc", _("Better Factories Cambodia complaint")
        BUYER = "buyer", _("buyer (brand)")
        GLOBAL_UNION = "global_union", _("global union federation")
        COURT = "court", _("court")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    body = models.CharField(_("to whom"), max_length=20, choices=Body.choices)
    company = models.ForeignKey(
        "shopfloor.Company", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_escalations", verbose_name=_("brand"),
        help_text=_("For an escalation to a buyer: which brand."),
    )
    body_name = models.CharField(_("name"), max_length=200, blank=True,
                                 help_text=_("E.g. IndustriALL, or the brand's name as written."))
    on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=120, blank=True,
                                 help_text=_("Case or letter number, e.g. 123/24 at the "
                                             "Arbitration Council."))
    note = models.TextField(_("note"), blank=True)
    response = models.TextField(_("response"), blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["case", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.on}"


class CaseOutcome(models.Model):
    """One result of a case: workers reinstated, compensation or back pay paid (amount and
    currency), or something else; confirmed by the worker(s) when they say it happened."""

    class Kind(models.TextChoices):
        REINSTATEMENT = "reinstatement", _("reinstated")
        COMPENSATION = "compensation", _("compensation")
        BACK_PAY = "back_pay", _("back pay")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=15, choices=Kind.choices)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True,
                                          help_text=_("How many workers it applies to."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True,
                                help_text=_("ISO code: USD, KHR."))
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    confirmed_by_worker_on = models.DateField(
        _("confirmed by the worker on"), null=True, blank=True,
        help_text=_("When the worker(s) confirmed it really happened (e.g. the money was "
                    "received)."),
    )

    class Meta:
        verbose_name = _("case outcome")
        verbose_name_plural = _("case outcomes")
        ordering = ["case", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["compensation", "back_pay"])
                | (models.Q(amount__isnull=False, amount__gte=0) & ~models.Q(currency="")),
                name="money_outcome_has_amount_and_currency",
                violation_error_message=_("Compensation and back pay need an amount and a "
                                          "currency."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="reinstatement") | models.Q(workers__gte=1),
                name="reinstatement_has_workers",
                violation_error_message=_("Say how many workers were reinstated."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
