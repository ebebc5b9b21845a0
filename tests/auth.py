"""Signing in in tests: past the password and the second factor.

``verified_login(client, user)`` is ``client.force_login`` plus a confirmed authenticator
device marked as verified in the session (what entering a code does), so tests of pages
for admins, researchers and staff reach the page and not the code prompt.
"""

from __future__ import annotations

import django_otp
from django.http import HttpRequest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    """The user's authenticator device (made if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone",
                                               confirmed=confirmed)


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code the authenticator app shows now (or ``offset_steps`` steps later)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0 - offset_steps * device.step,
                digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def verified_login(client, user) -> TOTPDevice:
    """Sign ``user`` in on ``client`` with the second factor already verified."""
    device = totp_device(user)
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    django_otp.login(request, device)
    request.session.save()
    return device


#: People of the ``ws`` fixture (tests/conftest.py) who must use a second factor.
WS_TWO_FACTOR = frozenset({"union_admin", "union_researcher", "fed_researcher", "staff"})


def ws_client(ws, who: str):
    """A test client signed in as person ``who`` of the ``ws`` fixture (past the second
    factor where their role needs one); ``"anonymous"``: not signed in."""
    from django.test import Client

    client = Client()
    if who == "anonymous":
        return client
    user = getattr(ws, who)
    if who in WS_TWO_FACTOR:
        verified_login(client, user)
    else:
        client.force_login(user)
    return client
