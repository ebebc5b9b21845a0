"""The evidence vault: photos, video, audio and documents, kept with a chain of custody."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shopfloor.models.workspace import WorkspaceRecord


def _storage():
    from shopfloor.evidence.storage import vault_storage

    return vault_storage()


class EvidenceFile(WorkspaceRecord):
    """One uploaded file. The original is kept as uploaded with its SHA-256 (chain of
    custody) and is restricted; every copy shown or shared is a re-encoded one without
    EXIF/GPS or document metadata (``shared``, ``thumbnail``). Files are served only
    through a permission-checked view, never from a public URL."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        VIDEO = "video", _("video")
        AUDIO = "audio", _("audio")
        DOCUMENT = "document", _("document (PDF)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    original = models.FileField(_("original"), storage=_storage, max_length=200)
    original_name = models.CharField(_("file name on the phone"), max_length=200, blank=True)
    shared = models.FileField(_("shareable copy"), storage=_storage, max_length=200,
                              blank=True)
    shared_sha256 = models.CharField(max_length=64, blank=True)
    thumbnail = models.FileField(_("thumbnail"), storage=_storage, max_length=200,
                                 blank=True)
    removed_metadata = models.JSONField(
        _("metadata removed from copies"), default=list, blank=True,
        help_text=_("Which kinds of metadata the shared copies lost (e.g. GPS position, "
                    "camera model). The values are kept only in the original."),
    )
    taken_at = models.DateTimeField(
        _("taken at"), null=True, blank=True,
        help_text=_("When the camera says the photo was taken (from the original)."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"],
                                    name="one_file_per_union_and_hash"),
        ]

    def __str__(self) -> str:
        return self.caption or f"{self.get_kind_display()} {self.sha256[:12]}"


class EvidenceAttachment(models.Model):
    """A file attached to an issue, a case or a meeting, as "before", "after" or other
    evidence. The same file can back several records."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")
        OTHER = "other", _("evidence")

    file = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE,
                             related_name="attachments")
    issue = models.ForeignKey("shopfloor.MonitoringIssue", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="attachments")
    case = models.ForeignKey("shopfloor.Case", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="attachments")
    meeting = models.ForeignKey("shopfloor.PiccMeeting", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices,
                             default=Stage.OTHER)
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attached evidence")
        verbose_name_plural = _("attached evidence")
        ordering = ["attached_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=False, case__isnull=True,
                                   meeting__isnull=True)
                | models.Q(issue__isnull=True, case__isnull=False, meeting__isnull=True)
                | models.Q(issue__isnull=True, case__isnull=True, meeting__isnull=False),
                name="attachment_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file} ({self.stage})"
