"""The applicants' self-service pages under /apply/: register, sign in, book, see, cancel.

The same services as the applicants' API do the work (bookings/services): ``account_register``,
``booking_create`` (rate limits, NIK rules, release window, the conditional UPDATE, BOOK or
BOOK_REFUSED in the trail) and ``booking_cancel`` (the cut-off). Views parse, call one service
and render its refusals beside the field they concern. Signing in and out are recorded by the
trail's authentication signals (ACCOUNT_LOGIN, ACCOUNT_LOGOUT).

Registration and booking keep the device like the API's ``X-Device-Id``: a browser sends none,
so the pages give each browser an opaque random id in a long-lived cookie and use that.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import selectors
from bookings.calendar import cancel_deadline, slot_windows
from bookings.choices import BookingStatus, RefusalReason
from bookings.errors import DomainError, LimitReached
from bookings.forms_applicant import BookingForm, DayForm, RegisterForm, SignInForm
from bookings.models import Booking
from bookings.selectors_applicant import day_on_sale, office_choices, offices_taking_bookings
from bookings.services import Applicant, account_register, booking_cancel, booking_create
from offices.access import applicant_account_of
from passport_portal.forms import form_errors
from passport_portal.request_meta import request_meta

DEVICE_HEADER = "HTTP_X_DEVICE_ID"
DEVICE_COOKIE = "pp_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
DEVICE_ID = re.compile(r"[0-9a-f]{32}")
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- the frame: menu, device, who may open these pages ----------------------------------------

def _menu(request, current: str) -> dict:
    """The applicants' own menu (staff menus are built by capability, which applicants lack)."""
    if request.user.is_authenticated:
        items = [("bookings", _("My bookings"), "applicant:bookings"), ("book", _("Book"), "applicant:book")]
    else:
        items = [("start", _("Passport appointments"), "applicant:start"),
                 ("register", _("Register"), "applicant:register"),
                 ("sign-in", _("Sign in"), "applicant:sign-in")]
    return {"nav_items": [{"key": key, "label": label, "url": reverse(name)} for key, label, name in items],
            "nav_current": current, "sign_out_next": reverse("applicant:start")}


def _page(request, template: str, current: str, context: dict, *, status: int = 200):
    response = render(request, template, _menu(request, current) | context, status=status)
    return _keep_device(request, response)


def _device_id(request) -> str:
    """This browser's opaque device id: its cookie, or a new random one (set on the response)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not DEVICE_ID.fullmatch(value):
        value = getattr(request, "new_device_id", "") or secrets.token_hex(16)
        request.new_device_id = value
    return value


def _device(request) -> str:
    """The device as the API knows it (``X-Device-Id``), else this browser's cookie id."""
    sent = request.META.get(DEVICE_HEADER, "").strip()
    return sent[:128] if sent else f"web:{_device_id(request)}"


def _keep_device(request, response):
    """Give a browser with no device id one, kept for a year."""
    if not DEVICE_ID.fullmatch(request.COOKIES.get(DEVICE_COOKIE, "")):
        response.set_cookie(DEVICE_COOKIE, _device_id(request), max_age=DEVICE_COOKIE_AGE, httponly=True,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def staff_refused(request):
    """The applicants' frame refusing a member of staff or an administrator (403)."""
    return _page(request, "applicant/staff_refused.html", "", {}, status=403)


def applicant_required(view):
    """Signed-in applicants only: others are sent to the applicants' sign-in, staff refused (403)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('applicant:sign-in')}?{query}")
        account = applicant_account_of(request.user)
        if account is None:
            return staff_refused(request)
        request.account = account
        return view(request, *args, **kwargs)

    return wrapper


def public(view):
    """Open to anyone not signed in; a signed-in applicant goes to their bookings, staff are refused."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            if applicant_account_of(request.user) is None:
                return staff_refused(request)
            return redirect("applicant:bookings")
        return view(request, *args, **kwargs)

    return wrapper


# --- start, register, sign in ------------------------------------------------------------------

@require_GET
@public
def start(request):
    """What the service is, and the two ways in: register or sign in."""
    return _page(request, "applicant/start.html", "start", {
        "days_ahead": settings.BOOKING_DAYS_AHEAD, "cap": settings.BOOKING_ACCOUNT_CAP,
        "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS})


@require_http_methods(["GET", "POST"])
@public
def register(request):
    """Open an account (ACCOUNT_REGISTER with address and device), then sign in (ACCOUNT_LOGIN)."""
    if request.method != "POST":
        return _page(request, "applicant/register.html", "register", {"form": RegisterForm()})
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            account = account_register(email=data["email"], phone=data["phone"], password=data["password"],
                                       device=_device(request), meta=request_meta(request))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            login(request, account.user, backend=SIGN_IN_BACKEND)
            messages.success(request, _("Your account is ready. Book your appointment below."))
            return _keep_device(request, redirect("applicant:book"))
    return _page(request, "applicant/register.html", "register", {"form": form}, status=400)


class SignInView(auth_views.LoginView):
    """The applicants' sign-in (e-mail and password); django-axes locks a name after failures."""

    template_name = "applicant/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False  # ``public`` decides for signed-in people

    def get_default_redirect_url(self):
        return reverse("applicant:bookings")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | _menu(self.request, "sign-in")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


sign_in = require_http_methods(["GET", "POST"])(public(SignInView.as_view()))


# --- booking -----------------------------------------------------------------------------------

def _date_window() -> tuple:
    # Offices span three zones: from the earliest zone's today to the latest's last day on sale.
    today = timezone.localdate()
    return today - dt.timedelta(days=1), today + dt.timedelta(days=settings.BOOKING_DAYS_AHEAD + 1)


def _offices_and_choices():
    offices = list(offices_taking_bookings())
    return {office.code: office for office in offices}, office_choices(offices)


def _book_page(request, *, day_form, office=None, day=None, form=None, status=200,
               retry_after: int | None = None):
    on_sale = day_on_sale(office, day) if office is not None and day is not None else None
    if on_sale is not None and form is None and not on_sale.problem:
        form = BookingForm(windows=slot_windows(office), initial={
            "office": office.code, "date": day, "email": request.account.email,
            "phone": request.account.phone})
    response = _page(request, "applicant/book.html", "book", {
        "day_form": day_form, "office": office, "day": day, "on_sale": on_sale, "form": form,
        "days_ahead": settings.BOOKING_DAYS_AHEAD,
        "retry_after": retry_after}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
@applicant_required
def book(request):
    """Step one (office and date, from the query string) and, once both are valid, step two:
    the day's free slots and the applicant's details."""
    offices, choices = _offices_and_choices()
    day_form = DayForm(request.GET or None, office_choices=choices, window=_date_window())
    office = day = None
    if day_form.is_bound and day_form.is_valid():
        office, day = offices[day_form.cleaned_data["office"]], day_form.cleaned_data["date"]
    return _book_page(request, day_form=day_form, office=office, day=day)


def _refusal_on_form(form: BookingForm, exc: DomainError) -> None:
    """Put a service's refusal where the applicant will look for it."""
    message = exc.message
    field = exc.extra.get("field")
    if exc.code == RefusalReason.NIK_HAS_ACTIVE_BOOKING:
        # Only that booking's code: nothing about whose account holds it.
        message = _("%(message)s Its booking code is %(code)s.") % {
            "message": exc.message, "code": exc.extra.get("booking_code") or "?"}
        field = "nik"
    elif exc.code in (RefusalReason.SLOT_FULL, RefusalReason.SLOT_CLOSED, RefusalReason.SLOT_IN_PAST,
                      RefusalReason.SLOT_UNKNOWN):
        field = "slot"
    elif isinstance(exc, LimitReached):
        minutes = max(1, round(exc.retry_after / 60))
        message = _("%(message)s You may try again in about %(minutes)s minutes.") % {
            "message": exc.message, "minutes": minutes}
    form.add_error(field if field in form.fields else None, message)


@require_POST
@applicant_required
def book_submit(request):
    """Step two sent: ``booking_create`` books the slot or refuses, and the refusal is shown."""
    offices, choices = _offices_and_choices()
    office = offices.get(request.POST.get("office", ""))
    day_form = DayForm({"office": request.POST.get("office", ""), "date": request.POST.get("date", "")},
                       office_choices=choices, window=_date_window())
    if office is None or not day_form.is_valid():
        return _book_page(request, day_form=day_form, status=400)
    day = day_form.cleaned_data["date"]
    form = BookingForm(request.POST, windows=slot_windows(office))
    if not form.is_valid():
        return _book_page(request, day_form=day_form, office=office, day=day,
                          form=form, status=400)
    data = form.cleaned_data
    applicant = Applicant(nik=data["nik"], name=data["name"], birth_date=data["birth_date"],
                          phone=data["phone"], email=data["email"])
    try:
        booking = booking_create(actor=request.user, office=office, service_date=day, slot_time=data["slot"],
                                 service=data["service"], applicant=applicant, device=_device(request),
                                 meta=request_meta(request))
    except ValidationError as exc:
        form_errors(form, exc)
        status, retry_after = 400, None
    except DomainError as exc:
        _refusal_on_form(form, exc)
        status, retry_after = exc.status_code, getattr(exc, "retry_after", None)
    else:
        messages.success(request, _("Booked. Your booking code is %(code)s: show it, or its QR code, "
                                    "at the office.") % {"code": booking.code})
        return _keep_device(request, redirect("applicant:booking", code=booking.code))
    return _book_page(request, day_form=day_form, office=office, day=day,
                      form=form, status=status, retry_after=retry_after)


# --- my bookings -------------------------------------------------------------------------------

QR_BORDER = 2  # modules of quiet zone (the frame around the code adds more white)
# Any of the eight masks gives a valid code; choosing one spares the library trying all eight
# (about 20 ms of a 25 ms encode), which counts on a list of several bookings.
QR_MASK = 0


def qr_svg(payload: str) -> str:
    """The QR code of ``payload`` as inline SVG: one path of the dark runs of each row.

    Drawn here from the encoder's matrix rather than by its SVG writer (three times slower), with
    no style attribute, so nothing the security policy refuses.
    """
    code = qrcode.QRCode(border=QR_BORDER, mask_pattern=QR_MASK)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    label = escape(_("QR code for check-in"))
    # Built from our own numbers and an escaped label: safe to place in the page.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img" aria-label="{label}"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>')


def _shown(booking: Booking, now) -> dict:
    """A booking as its applicant sees it: times in the office's zone, the QR code while it is
    still to be checked in, and whether it may still be cancelled."""
    deadline = cancel_deadline(booking.office, booking.service_date, booking.slot_time)
    waiting = booking.status == BookingStatus.BOOKED
    return {"booking": booking, "deadline": deadline.astimezone(booking.office.zone),
            "may_cancel": waiting and now <= deadline, "qr": qr_svg(booking.qr_payload) if waiting else ""}


@require_GET
@applicant_required
def bookings(request):
    """The account's bookings, upcoming first: code, office, day and time, status, QR code."""
    now = timezone.now()
    rows = [_shown(booking, now) for booking in selectors.bookings_of_applicant(request.user)]
    return _page(request, "applicant/bookings.html", "bookings", {
        "rows": rows, "account": request.account})


def _own_booking(request, code: str) -> Booking:
    # Another account's booking answers 404, exactly like a code that does not exist.
    return get_object_or_404(selectors.bookings_of_applicant(request.user), code=code)


def _booking_page(request, booking: Booking, *, error: str = "", status: int = 200):
    return _page(request, "applicant/booking.html", "bookings",
                 _shown(booking, timezone.now()) | {"error": error}, status=status)


@require_GET
@applicant_required
def booking_detail(request, code: str):
    """One booking with its QR code for check-in and, before the cut-off, the cancel button."""
    return _booking_page(request, _own_booking(request, code))


@require_POST
@applicant_required
def booking_cancel_page(request, code: str):
    """Cancel before the cut-off (BOOKING_CANCEL); the place goes back on sale."""
    booking = _own_booking(request, code)
    try:
        booking_cancel(actor=request.user, booking=booking, meta=request_meta(request))
    except DomainError as exc:
        return _booking_page(request, booking, error=exc.message, status=exc.status_code)
    messages.success(request, _("Booking %(code)s is cancelled.") % {"code": booking.code})
    return redirect("applicant:bookings")

