"""Pages of the portal frame and the office network: sign-in, second factor, home, network, staff.

Views are thin: they scope reads through offices/access.py and offices/selectors.py, parse
forms, call one service and render. Anything out of the person's scope answers 404. Read pages
take GET and HEAD only (``require_safe``): a POST to them answers 405, never the page.
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from passport_portal import navigation
from passport_portal.forms import form_errors
from passport_portal.pages import TablePage
from passport_portal.request_meta import request_meta

from . import access, selectors
from .access import Capability, reach_of
from .errors import NotAllowed
from .forms import OfficeFilterForm, PostingCreateForm, PostingEndForm, StaffFilterForm
from .models import Assignment, Office
from .second_factor import confirmed_device, second_factor_verify, totp_device_confirm, totp_device_prepare
from .services import SENIOR_ROLES, assignment_create, assignment_end
from .tables import OfficeTable, StaffTable


class LoginView(auth_views.LoginView):
    """Sign-in; django-axes locks an account name out after repeated failures."""

    template_name = "offices/login.html"
    redirect_authenticated_user = True


@require_safe
@login_required
def home(request):
    """The landing page: the panels of what the signed-in person may use today."""
    panels = []
    for panel in navigation.panels_for(request.reach):
        context = panel.context(request) if panel.context else {}
        panels.append({"template": panel.template, **context})
    return render(request, "offices/home.html", {"panels": panels})


# --- the network -----------------------------------------------------------------------------

@method_decorator(login_required, name="dispatch")
class OfficeListPage(TablePage):
    """The network: every office and unit the person may see, filtered, sorted, paged, exported."""

    table_class = OfficeTable
    filterset_class = OfficeFilterForm
    export_name = "offices"
    page_title = gettext_lazy("Offices and units")
    template_name = "offices/office_list.html"

    def get_queryset(self):
        return access.restrict(selectors.offices_with_unit_counts(), self.request.user, Capability.VIEW,
                               reach=self.request.reach)


@require_safe
@login_required
def province_list(request):
    """The first step of the drill-down: provinces, with their Kanim, units and quota."""
    offices = access.restrict(Office.objects.all(), request.user, Capability.VIEW, reach=request.reach)
    provinces = list(selectors.province_summary(offices))
    totals = {key: sum(p[key] or 0 for p in provinces)
              for key in ("kanim_count", "unit_count", "active_count", "quota_total")}
    return render(request, "offices/province_list.html", {"provinces": provinces, "totals": totals})


def _office_or_404(request, code: str) -> Office:
    return access.get_scoped_or_404(selectors.office_list(), request.user, Capability.VIEW,
                                    reach=request.reach, code=code)


def _posting_offices(request, office: Office):
    """Where the person may post staff from this page: the office and its units, if managed."""
    family = selectors.office_family(office)
    manage, direct = request.reach.scopes[Capability.MANAGE], request.reach.scopes[Capability.DIRECT]
    if direct.everywhere:
        return family
    return family.filter(pk__in=manage.office_ids)


def _office_page(request, office: Office, *, form=None, status: int = 200):
    units = access.restrict(office.units.order_by("code"), request.user, Capability.VIEW, reach=request.reach)
    offices = _posting_offices(request, office)
    if form is None and offices.exists():
        form = PostingCreateForm(reach=request.reach, offices=offices,
                                 initial={"office": office.code, "valid_from": office.local_date()})
    local_now = timezone.now().astimezone(office.zone)
    return render(request, "offices/office_detail.html", {
        "office": office, "units": units, "on_duty": selectors.staff_on_duty(office),
        "local_now": local_now, "posting_form": form,
    }, status=status)


@require_safe
@login_required
def office_detail(request, code: str):
    """One office: where it sits, its units, hours in its own zone, quota, staff on duty today."""
    return _office_page(request, _office_or_404(request, code))


@require_POST
@login_required
def posting_create(request, code: str):
    """Post a member of staff at this office or one of its units (offices/services.py decides)."""
    office = _office_or_404(request, code)
    form = PostingCreateForm(request.POST, reach=request.reach, offices=_posting_offices(request, office))
    if not form.is_valid():
        return _office_page(request, office, form=form, status=400)
    data = form.cleaned_data
    try:
        assignment_create(actor=request.user, staff=form.staff, office=data["office"], role=data["role"],
                          valid_from=data["valid_from"], valid_until=data["valid_until"],
                          meta=request_meta(request))
    except (ValidationError, NotAllowed) as exc:
        return _office_page(request, office, form=form, status=form_errors(form, exc))
    messages.success(request, _("%(name)s is posted at %(office)s.")
                     % {"name": form.staff.name, "office": data["office"].code})
    return redirect("offices:office-detail", code=office.code)


# --- staff -----------------------------------------------------------------------------------

@method_decorator(login_required, name="dispatch")
class StaffListPage(TablePage):
    """Staff who ever worked at an office the person may see, with today's posting."""

    table_class = StaffTable
    filterset_class = StaffFilterForm
    export_name = "staff"
    page_title = gettext_lazy("Staff")
    template_name = "offices/staff_list.html"

    def get_queryset(self):
        return access.restrict(selectors.staff_list(), self.request.user, Capability.VIEW,
                               reach=self.request.reach)


def _staff_page(request, pk: int, *, end_forms=None, status: int = 200):
    staff = access.get_scoped_or_404(selectors.staff_list(), request.user, Capability.VIEW,
                                     reach=request.reach, pk=pk)
    manage, direct = request.reach.scopes[Capability.MANAGE], request.reach.scopes[Capability.DIRECT]
    end_forms = end_forms or {}
    postings = []
    for assignment in staff.assignments.all():
        today = assignment.office.local_date()
        open_ = assignment.valid_until is None or assignment.valid_until >= today
        may_end = (direct if assignment.role in SENIOR_ROLES else manage).allows(assignment.office_id)
        form = end_forms.get(assignment.pk)
        if form is None and open_ and may_end:
            form = PostingEndForm(initial={"valid_until": today}, auto_id=f"end-{assignment.pk}-%s")
        postings.append({"assignment": assignment, "in_force": assignment.covers(today),
                         "end_form": form if open_ and may_end else None})
    return render(request, "offices/staff_detail.html", {"staff": staff, "postings": postings},
                  status=status)


@require_safe
@login_required
def staff_detail(request, pk: int):
    """One member of staff: their postings, past and present; ending one for those who may."""
    return _staff_page(request, pk)


@require_POST
@login_required
def posting_end(request, pk: int, assignment_pk: int):
    """End a posting on a date (offices/services.py decides who may)."""
    assignment = access.get_scoped_or_404(Assignment.objects.select_related("staff", "office"),
                                          request.user, Capability.VIEW, reach=request.reach,
                                          pk=assignment_pk, staff_id=pk)
    form = PostingEndForm(request.POST, auto_id=f"end-{assignment.pk}-%s")
    if form.is_valid():
        try:
            assignment_end(actor=request.user, assignment=assignment,
                           valid_until=form.cleaned_data["valid_until"], meta=request_meta(request))
        except (ValidationError, NotAllowed) as exc:
            return _staff_page(request, pk, end_forms={assignment.pk: form}, status=form_errors(form, exc))
    if not form.is_valid():
        return _staff_page(request, pk, end_forms={assignment.pk: form}, status=400)
    messages.success(request, _("The posting ends on %(day)s.") % {"day": form.cleaned_data["valid_until"]})
    return redirect("offices:staff-detail", pk=pk)


# --- second factor ---------------------------------------------------------------------------

def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    # The SVG comes from our own encoder of a URI we built: safe to place in the page.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: a QR code of the secret, then a first code to confirm it.

    Once a device is confirmed, enrolling a new one needs a verified session: a password
    alone must never be enough to bind a new phone.
    """
    if confirmed_device(request.user) is not None and not request.user.is_verified():
        return HttpResponseRedirect(_with_next("two-factor-verify", request))
    device = totp_device_prepare(actor=request.user)
    error = ""
    if request.method == "POST":
        confirmed = totp_device_confirm(actor=request.user, token=request.POST.get("code", ""),
                                        meta=request_meta(request))
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(request, _("Your second factor is set up."))
            return HttpResponseRedirect(_next_url(request))
        error = _("That code is not right. Check the time on your phone and try the newest code.")
    return render(request, "offices/two_factor_setup.html", {
        "qr_svg": _qr_svg(device.config_url), "secret": _base32(device), "error": error,
        "next": _next_url(request),
    }, status=400 if error else 200)


def _base32(device) -> str:
    """The secret as people type it into an app by hand: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_verify(request):
    """Ask for the current code of the enrolled authenticator app."""
    if confirmed_device(request.user) is None:
        return HttpResponseRedirect(_with_next("two-factor-setup", request))
    error = ""
    if request.method == "POST":
        device = second_factor_verify(actor=request.user, token=request.POST.get("code", ""),
                                      meta=request_meta(request))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        error = _("That code is not right. Try the newest code from your app.")
    return render(request, "offices/two_factor_verify.html", {"error": error, "next": _next_url(request)},
                  status=400 if error else 200)


# --- API token -------------------------------------------------------------------------------

class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password, plus the current TOTP code for supervisors and auditors."""

    otp_token = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                      label=gettext_lazy("Authenticator code"))


class ApiTokenView(APIView):
    """Issue the caller's API token. Network-wide roles must also send a valid TOTP code.

    The token then stands for a session that has passed the second factor; a supervisor or
    auditor without an enrolled device is told to enrol in the portal first.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    def post(self, request):
        data = TokenRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = data.validated_data["user"]
        if reach_of(user).needs_second_factor:
            if confirmed_device(user) is None:
                raise NotAllowed(_("Set up your second factor in the portal before asking for a token."),
                                 code="second_factor_setup_required")
            code = data.validated_data.get("otp_token", "")
            if not code:
                raise ValidationError(
                    {"otp_token": [_("Your role needs the code from your authenticator app.")]})
            if second_factor_verify(actor=user, token=code, meta=request_meta(request)) is None:
                raise ValidationError({"otp_token": [_("That code is not right.")]})
        token, _created = Token.objects.get_or_create(user=user)
        # Issuing a token is a sign-in: the trail records it like a session login.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key})
