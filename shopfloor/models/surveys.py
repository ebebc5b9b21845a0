"""Surveys: XLSForm questionnaires, their versions and questions, and the submissions
collected with KoboToolbox or ODK (minimised before they are stored)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkspaceRecord


class SurveyForm(models.Model):
    """A questionnaire an organisation runs: a union's anonymous worker survey, or a brand's
    questionnaire to its suppliers. Identified by the XLSForm's ``form_id``."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("worker survey")
        SUPPLIER = "supplier", _("supplier questionnaire")

    organisation = models.ForeignKey(
        "shopfloor.Organisation", on_delete=models.PROTECT, related_name="survey_forms",
        verbose_name=_("organisation"),
    )
    form_id = models.CharField(_("form id"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.WORKER)
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey form")
        verbose_name_plural = _("survey forms")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form_id"],
                                    name="one_form_id_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_version(self):
        return self.versions.order_by("-imported_at", "-pk").first()


class SurveyFormVersion(models.Model):
    """One version of a form (the XLSForm ``settings`` sheet's ``version``), as imported:
    its definition as pyxform reads it and its XForm."""

    form = models.ForeignKey(SurveyForm, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=60)
    sha256 = models.CharField(_("SHA-256 of the XLSForm"), max_length=64)
    definition = models.JSONField(_("definition"), help_text=_("The form as pyxform reads it."))
    xform = models.TextField(_("XForm"))
    languages = models.JSONField(_("languages"), default=list)
    default_language = models.CharField(_("default language"), max_length=60, blank=True)
    source = models.ForeignKey("shopfloor.Source", on_delete=models.PROTECT,
                               related_name="survey_versions")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey form version")
        verbose_name_plural = _("survey form versions")
        ordering = ["form", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="one_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.version}"


class SurveyQuestion(models.Model):
    """A question of one form version, with what Shopfloor reads from the XLSForm's
    ``shopfloor_*`` columns (see docs/surveys.md)."""

    version = models.ForeignKey(SurveyFormVersion, on_delete=models.CASCADE,
                                related_name="questions")
    path = models.CharField(_("path"), max_length=300,
                            help_text=_("Group path and name, e.g. wages/paid_minimum."))
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=40)
    position = models.PositiveIntegerField(_("position"))
    labels = models.JSONField(_("labels"), default=dict, help_text=_("Language code → text."))
    list_name = models.CharField(_("choice list"), max_length=120, blank=True)
    choices = models.JSONField(_("choices"), default=list,
                               help_text=_("[{name, labels: {language code: text}}]"))
    group_labels = models.JSONField(_("section"), default=dict, blank=True)
    repeat = models.CharField(_("repeat group"), max_length=300, blank=True)
    criteria = models.CharField(_("BFC critical issues"), max_length=60, blank=True,
                                help_text=_("Space-separated codes (shopfloor_criterion)."))
    violation = models.CharField(_("answers that breach them"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=30, blank=True)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    is_facility = models.BooleanField(_("names the factory"), default=False)
    is_sex = models.BooleanField(_("respondent's sex"), default=False)
    identifying = models.BooleanField(
        _("identifying"), default=False,
        help_text=_("Dropped on import: never stored (device ids, phone numbers, names)."))

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "path"], name="one_question_per_path"),
        ]

    def __str__(self) -> str:
        return self.path

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or next(
            iter(self.labels.values()), self.name)

    def choice_label(self, name: str, language: str = "en") -> str:
        for choice in self.choices:
            if choice["name"] == name:
                labels = choice.get("labels", {})
                return labels.get(language) or labels.get("en") or name
        return name

    @property
    def is_free_text(self) -> bool:
        return self.type == "text" and not self.identifying


class Submission(WorkspaceRecord):
    """One filled-in form, keyed by its instance id, linked to a factory and a period.
    Identifying metadata was dropped before it was stored; free-text answers are kept
    apart (:class:`SubmissionText`), restricted."""

    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(SurveyFormVersion, on_delete=models.PROTECT,
                                related_name="submissions")
    instance_id = models.CharField(_("instance id"), max_length=120)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    sex = models.CharField(_("respondent's sex"), max_length=20, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    source = models.ForeignKey("shopfloor.Source", on_delete=models.PROTECT,
                               related_name="submissions")
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")
        ordering = ["form", "-submitted_at", "pk"]
        indexes = [models.Index(fields=["form", "facility", "period_start"],
                                name="submission_form_facility")]
        constraints = [
            models.UniqueConstraint(fields=["form", "instance_id"],
                                    name="one_submission_per_instance"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="submission_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.instance_id}"


class SubmissionText(models.Model):
    """A free-text answer: kept apart from the counted answers, readable only by the
    owning organisation's admins and researchers (it may describe someone)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="texts")
    path = models.CharField(max_length=300)
    text = models.TextField()

    class Meta:
        verbose_name = _("free-text answer")
        verbose_name_plural = _("free-text answers")
        ordering = ["submission", "path"]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.path}"
