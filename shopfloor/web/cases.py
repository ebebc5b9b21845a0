"""One case: the workers, escalations, outcomes and their confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shopfloor.access import can_read_original, can_write_record, workspace_q
from shopfloor.evidence import cases as case_lib
from shopfloor.models import Case, CaseOutcome
from shopfloor.web import evidence_forms as forms
from shopfloor.web.review import login_required
from shopfloor.web.workspace import read_record, store_upload, writable_record_or_404

_FORMS = {"worker": forms.CaseWorkerForm, "escalation": forms.EscalationForm,
          "outcome": forms.OutcomeForm, "close": forms.CloseCaseForm,
          "attach": forms.AttachForm}


def _page(request, case, bound=None, status=200):
    writable = can_write_record(request.user, case)
    page_forms = {name: (bound[1] if bound and bound[0] == name else cls(prefix=name))
                  for name, cls in _FORMS.items()} if writable else {}
    return render(request, "shopfloor/workspace/case.html", {
        "case": case, "can_write": writable,
        "workers": case.workers.all(), "escalations": case.escalations.select_related("company"),
        "outcomes": case.outcomes.all(), "totals": case_lib.outcome_totals([case]),
        "attachments": case.attachments.select_related("file"),
        "originals": can_read_original(request.user, case), "forms": page_forms,
    }, status=status)


@login_required
def case_detail(request, pk: int):
    return _page(request, read_record(request, Case, pk))


def _save(request, case, name: str) -> str | None:
    """Apply one of the case page's forms; an error message, or None when saved."""
    form = _FORMS[name](request.POST, request.FILES, prefix=name)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        if name == "worker":
            case_lib.add_worker(case, sex=data["sex"], union_role=data["union_role"],
                                name=data["name"], dismissed_on=data["dismissed_on"])
        elif name == "escalation":
            case_lib.escalate(case, body=data["body"], on=data["on"], company=data["company"],
                              body_name=data["body_name"], reference=data["reference"],
                              note=data["note"])
        elif name == "outcome":
            case_lib.record_outcome(case, kind=data["kind"], on=data["on"],
                                    workers=data["workers"], amount=data["amount"],
                                    currency=data["currency"], note=data["note"],
                                    confirmed_by_worker_on=data["confirmed_by_worker_on"])
        elif name == "close":
            case_lib.close_case(case, data["status"], on=data["on"])
        else:
            store_upload(request, case, data["file"], case=case, stage=data["stage"],
                         caption=data["caption"])
    except ValidationError as e:
        form.add_error(None, e)
        return form
    return None


@login_required
@require_POST
def case_update(request, pk: int, part: str):
    """Add a worker, an escalation, an outcome or a file, or close the case."""
    if part not in _FORMS:
        raise Http404
    case = writable_record_or_404(request, Case, pk)
    failed = _save(request, case, part)
    if failed is not None:
        case.refresh_from_db()
        return _page(request, case, bound=(part, failed), status=400)
    messages.success(request, _("Saved."))
    return redirect("web:case", pk=case.pk)


@login_required
@require_POST
def outcome_confirm(request, pk: int):
    """The worker confirmed an outcome (e.g. received the money), today."""
    outcome = CaseOutcome.objects.filter(workspace_q(request.user, "case__"), pk=pk
                                         ).select_related("case").first()
    if outcome is None:
        raise Http404
    if not can_write_record(request.user, outcome.case):
        raise PermissionDenied
    try:
        case_lib.confirm_outcome(outcome, on=timezone.localdate())
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("web:case", pk=outcome.case_id)
