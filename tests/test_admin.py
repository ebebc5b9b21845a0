"""Django admin for staff: every evidence model is listed and its pages render."""

import pytest
from django.contrib import admin
from django.urls import reverse

from shopfloor import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_model_is_registered():
    for name in m.__all__:
        assert admin.site.is_registered(getattr(m, name)), name


def test_changelists_and_change_pages_render(admin_client):
    src = f.source()
    fac = f.facility(src)
    f.company(src)
    m.Datapoint.objects.create(facility=fac, metric=f.metric(), year=2024, value_number=10,
                               source=src)
    for name in m.__all__:
        model = getattr(m, name)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert admin_client.get(change).status_code == 200, name


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:shopfloor_facility_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
