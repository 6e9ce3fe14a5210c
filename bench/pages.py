"""Benchmark of page latency: every main page on demo data, p50 and p95 server time per page.

    python bench/pages.py [--quick] [--rebuild] [--build-only] [--repeat 20] [--only SUBSTRING]

Builds a scratch database once (``pp_bench_pages``; ``--quick``: ``pp_bench_pages_quick``) and
reuses it on later runs: the database carries a marker (``COMMENT ON DATABASE``) naming the
size it was built with; ``--rebuild`` drops it and builds again. The build is the demo's own
path at benchmark size: ``migrate``, ``seed_network`` (all 156 offices), ``seed_demo`` (one login
per role), ``generate_scenario --size medium`` ending near today (200,000 bookings and 2.1 million
events; ``--quick``: ``--size small``), ``import_records``, ``run_detection --full``
(so the findings pages have findings), then ``VACUUM ANALYZE``.

Pages are requested in this process through Django's test ``Client`` (the whole middleware
stack, templates included; no network or WSGI server between), each as the role that uses it:
signed in with ``force_login``, and for supervisors and auditors with a verified second factor
in the session, as the page tests do. Every URL the resolver knows under the page areas is
discovered and listed (``PAGE_AREAS``); the ones that need an argument get it from
``ARGUMENTS`` (an office code, a staff id, a booking code ... read from the data). A URL with
an argument no rule here can fill is reported as skipped, so a new page is never silently left
out: add a rule for it in ``ARGUMENTS``.

Each page is requested ``--repeat`` times after one warm-up request (fewer, at least three,
once ``--budget`` seconds are spent on it); the server time is the wall time of ``client.get``
(the view, the templates and every query). Prints one table: page,
role, p50, p95, queries per request, target met (p95 under 300 ms); writes the figures, the load
average and the commit to bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST, PORT, USER = "127.0.0.1", 5432, "postgres"
TARGET_MS = 300.0
MARKER = "bench/pages.py built: "
# (database, scenario size, days before today the scenario starts)
FULL = ("pp_bench_pages", "medium", 20)
QUICK = ("pp_bench_pages_quick", "small", 16)
MIN_BOOKINGS, MIN_EVENTS = 200_000, 2_000_000


def psql(database: str, sql: str) -> str:
    result = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-U", USER,
                             "-d", database, "-c", sql], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def database_url(name: str) -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{name}"


def marker_of(name: str) -> str | None:
    """The build marker of the scratch database, or None when it is missing or half-built."""
    # ``name`` is one of this file's constants, never input.
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    if not exists:
        return None
    query = f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'"  # noqa: S608
    comment = psql("postgres", query)
    return comment if comment.startswith(MARKER) else None


def manage(name: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(name),
           "DJANGO_SETTINGS_MODULE": "passport_portal.settings.local"}
    print(f"  manage.py {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def build(name: str, size: str, days_back: int) -> None:
    """The demo's own path at benchmark size, then the marker (only once everything worked)."""
    started = time.monotonic()
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}")
    manage(name, "migrate", "--no-input", "-v", "0")
    manage(name, "seed_network")
    manage(name, "seed_demo")
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days_back)
    with tempfile.TemporaryDirectory() as folder:
        records, truth = Path(folder) / "scenario.jsonl", Path(folder) / "truth.json"
        manage(name, "generate_scenario", "--size", size, "--seed", "1", "--start", start.isoformat(),
               "--output", str(records), "--truth", str(truth), "--no-progress")
        manage(name, "import_records", str(records), "--no-progress")
    manage(name, "run_detection", "--full", "--no-progress", "--top", "0")
    psql(name, "VACUUM ANALYZE")
    minutes = (time.monotonic() - started) / 60
    psql("postgres", f"COMMENT ON DATABASE {name} IS '{MARKER}{size} from {start} in {minutes:.0f} min'")


# --- which pages, as whom, with which arguments -------------------------------------------------

#: URL namespace (or name for pages outside one) → the page area's role. Pages under a namespace
#: not listed here are measured as the supervisor (the widest reach).
ROLE_OF_AREA = {
    "offices": "supervisor",  # the network and staff lists: the supervisor sees all 156 offices
    "office": "head",
    "supervision": "supervisor",
    "audit": "auditor",
    "detection": "auditor",
    "applicant": "applicant",
}
HOME_ROLES = ("officer", "head", "supervisor", "auditor")
#: The applicants' pages for people not signed in (a signed-in applicant is sent past them).
PUBLIC = {"applicant:start", "applicant:register", "applicant:sign-in"}
#: URL names never measured: signing in and out, the second factor, the language switch.
NOT_PAGES = {"login", "logout", "two-factor-setup", "two-factor-verify", "set_language"}
#: Only these areas are pages (the API, the admin and the language switch are not).
PAGE_PREFIXES = ("", "network/", "staff/", "supervision/", "office/", "apply/", "audit/", "findings/")
BENCH_APPLICANT = "bench-applicant@example.invalid"
BENCH_PASSWORD = "bench-pages-2026"  # noqa: S105  (a scratch database's login, never used to sign in)


@dataclass
class Data:
    """What the arguments of the pages are read from (one office head's office, its busiest items)."""

    office: object
    booking_code: str
    staff_pk: int
    staff_nip: str
    finding_pk: int | None
    finding_nip: str | None
    cluster: str | None
    case_pk: int | None
    run_pk: int | None
    assignment_pk: int
    allowlist_pk: int | None
    applicant_booking: str | None


def _data(users) -> Data:
    from django.db.models import Count

    from audit.detection.models import AllowlistEntry, Case, ClusterMember, DetectionRun, Finding
    from bookings.models import Booking
    from offices.models import Assignment

    office = users["head"].staff.assignments.select_related("office__region").first().office
    booking = (Booking.objects.filter(office=office, imported=True).order_by("-service_date").first()
               or Booking.objects.filter(office=office).first())
    staff = (Assignment.objects.filter(office=office).exclude(staff__user__isnull=False)
             .select_related("staff").first() or Assignment.objects.filter(office=office).first()).staff
    finding = Finding.objects.exclude(staff_nips=[]).order_by("-score").first()
    cluster = (ClusterMember.objects.values("cluster").annotate(n=Count("id")).order_by("-n").first() or {})
    case = Case.objects.order_by("-pk").first() or _bench_case(users["auditor"])
    run = DetectionRun.objects.order_by("-pk").first()
    applicant = users["applicant"].applicant_account.bookings.order_by("-pk").first()
    allowlisted = AllowlistEntry.objects.order_by("-pk").first()
    return Data(office=office, booking_code=booking.code if booking else "", staff_pk=staff.pk,
                staff_nip=staff.nip, finding_pk=finding.pk if finding else None,
                finding_nip=finding.staff_nips[0] if finding else None, cluster=cluster.get("cluster"),
                case_pk=case.pk if case else None, run_pk=run.pk if run else None,
                assignment_pk=staff.assignments.first().pk,
                allowlist_pk=allowlisted.pk if allowlisted else None,
                applicant_booking=applicant.code if applicant else None)


def _bench_case(auditor):
    """A case opened from the riskiest finding, through the service (once), for the case pages."""
    from audit.detection.models import Finding
    from audit.detection.services.cases import case_open
    from offices.access import posted_office_ids
    from offices.errors import DomainError

    # Nobody handles a case about the office they are posted at: a finding from elsewhere.
    finding = (Finding.objects.exclude(office_id__in=posted_office_ids(auditor)).exclude(office__isnull=True)
               .order_by("-score").first())
    if finding is None:
        return None
    try:
        return case_open(actor=auditor, title="bench/pages.py: a risky finding", findings=[finding])
    except DomainError as exc:  # the case pages are then listed as skipped
        print(f"no case opened: {exc.message}", flush=True)
        return None


#: "namespace:name" (or a bare argument name, for any page) → the argument's value from the data.
ARGUMENTS: dict[str, Callable[[Data], dict]] = {
    "supervision:province": lambda d: {"code": d.office.region.code},
    "audit:booking-timeline": lambda d: {"code": d.booking_code},
    "audit:staff-timeline": lambda d: {"pk": d.staff_pk},
    "offices:staff-detail": lambda d: {"pk": d.staff_pk},
    "detection:finding-detail": lambda d: {"pk": d.finding_pk},
    "detection:officer": lambda d: {"nip": d.finding_nip},
    "detection:cluster": lambda d: {"key": d.cluster},
    "detection:case-detail": lambda d: {"pk": d.case_pk},
    "detection:case-assign": lambda d: {"pk": d.case_pk},
    "detection:case-move": lambda d: {"pk": d.case_pk},
    "detection:case-note": lambda d: {"pk": d.case_pk},
    "detection:allowlist-remove": lambda d: {"pk": d.allowlist_pk},
    "offices:posting-end": lambda d: {"pk": d.staff_pk, "assignment_pk": d.assignment_pk},
    "detection:run-progress": lambda d: {"pk": d.run_pk},
    "applicant:booking": lambda d: {"code": d.applicant_booking},
    "code": lambda d: {"code": d.office.code},  # any other page of one office
}


@dataclass
class Page:
    name: str
    route: str
    role: str
    arguments: tuple[str, ...]


def discover() -> tuple[list[Page], list[str]]:
    """Every page the resolver knows in the page areas; names only reachable by POST come out
    when they answer 405 to a GET (see ``measure``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    pages: list[Page] = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith(PAGE_PREFIXES[1:]) and route != "":
                    continue
                walk(entry, route, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_PAGES:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                arguments = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
                if name == "home":
                    pages.extend(Page(name, route, role, arguments) for role in HOME_ROLES)
                else:
                    role = "anonymous" if name in PUBLIC else ROLE_OF_AREA.get(namespace, "supervisor")
                    pages.append(Page(name, route, role, arguments))

    walk(get_resolver(), "", "")
    return pages, []


def url_of(page: Page, data: Data) -> str | None:
    """The page's URL with its arguments filled from the data; None when no rule fills them."""
    from django.urls import reverse

    if not page.arguments:
        return reverse(page.name)
    rule = ARGUMENTS.get(page.name) or ARGUMENTS.get(page.arguments[0] if len(page.arguments) == 1 else "")
    if rule is None:
        return None
    kwargs = rule(data)
    if set(kwargs) != set(page.arguments) or any(value in (None, "") for value in kwargs.values()):
        return None
    return reverse(page.name, kwargs=kwargs)


# --- signing in ------------------------------------------------------------------------------

def _bench_applicant():
    """An applicant account with two bookings of its own (made once through the services)."""
    from django.contrib.auth import get_user_model

    from bookings.models import Booking
    from bookings.services import Applicant, account_register, booking_create, slots_materialise
    from offices.models import Office
    from passport_portal.request_meta import RequestMeta

    user = get_user_model().objects.filter(username=BENCH_APPLICANT).first()
    if user is None:
        user = account_register(email=BENCH_APPLICANT, phone="081200000001", password=BENCH_PASSWORD,
                                device="bench", meta=RequestMeta(ip="10.0.0.1")).user
    if not Booking.objects.filter(account__user=user).exists():
        office = Office.objects.get(code="KANIM-JAKARTA-SELATAN")
        day = office.local_date() + dt.timedelta(days=1)
        while day.isoweekday() > 5:
            day += dt.timedelta(days=1)
        slots_materialise(office=office, service_date=day)
        for serial, time_ in ((9001, dt.time(14, 0)), (9002, dt.time(14, 30))):
            booking_create(actor=user, office=office, service_date=day, slot_time=time_, service="NEW",
                           applicant=Applicant(nik=f"317401170590{serial}", name=f"Bench {serial}",
                                               birth_date=dt.date(1990, 5, 17), phone="081200000001"),
                           device="bench", meta=RequestMeta(ip="10.0.0.1"))
    return user


def clients() -> tuple[dict, dict]:
    """A signed-in test client per role (supervisors and auditors with a verified second factor)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user_model = get_user_model()
    users = {role: user_model.objects.get(username=role) for role in HOME_ROLES}
    users["applicant"] = _bench_applicant()
    # A page that fails answers 500 in the table instead of stopping the run.
    signed_in = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        signed_in[role] = client
    return signed_in, users


# --- measuring -------------------------------------------------------------------------------

@dataclass
class Result:
    page: str
    url: str
    role: str
    status: int
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int
    met: bool


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class QueryCounter:
    """Counts the statements a request sends (Django clears its own query log at each request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, url: str, repeat: int, budget: float) -> tuple[int, list[float], int]:
    """One warm-up request (its queries counted), then ``repeat`` timed ones, or fewer (at least
    three) once ``budget`` seconds are spent: a page far over the target is still measured and
    reported without holding up the run for many minutes."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        status = client.get(url).status_code
    if status == 405:
        return status, [], 0
    times: list[float] = []
    for _round in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if len(times) >= 3 and sum(times) > budget * 1000:
            break
    return status, times, counter.count


def figures_of_data() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM offices_office), "
                       "(SELECT count(*) FROM bookings_booking), (SELECT count(*) FROM audit_event), "
                       "(SELECT count(*) FROM detection_finding)")
        offices, bookings, events, findings = cursor.fetchone()
    return {"offices": offices, "bookings": bookings, "events": events, "findings": findings}


def table(results: list[Result]) -> str:
    lines = [f"{'page':<34}{'role':<12}{'status':>7}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}"
             "  target met"]
    for r in results:
        lines.append(f"{r.page:<34}{r.role:<12}{r.status:>7}{r.requests:>4}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}"
                     f"{r.queries:>9}  "
                     f"{'yes' if r.met else 'NO'}")
    return "\n".join(lines)


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small scenario (figures not judged)")
    parser.add_argument("--rebuild", action="store_true", help="drop the scratch database and build it again")
    parser.add_argument("--build-only", action="store_true", help="build (if needed) and stop")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds of timed requests per page before stopping early (at least 3 requests)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args()
    name, size, days_back = QUICK if args.quick else FULL
    if args.rebuild or marker_of(name) is None:
        print(f"building {name} ({size} scenario); later runs reuse it", flush=True)
        build(name, size, days_back)
    marker = marker_of(name)
    print(marker, flush=True)
    if args.build_only:
        return

    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport_portal.settings.local")
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # no line per 4xx answer among the figures
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # The test Client's host, without setup_test_environment: that would also wrap every template
    # render to copy its context for the Client's inspection, work production never does.
    static_root = tempfile.TemporaryDirectory()
    static = override_settings(STATIC_ROOT=static_root.name, ALLOWED_HOSTS=["testserver"])
    static.enable()
    # The pages link hashed static files, as in production: collect them (and their manifest) once.
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)  # a database built by an earlier commit
    from bookings.weekly_figures import weekly_figures_refresh

    weekly_figures_refresh()  # as beat keeps it, every ten minutes
    signed_in, users = clients()
    data = _data(users)
    pages, _ = discover()
    load_before = os.getloadavg()
    results: list[Result] = []
    skipped: list[dict] = []
    for page in pages:
        if args.only and args.only not in page.name:
            continue
        url = url_of(page, data)
        if url is None:
            skipped.append({"page": page.name, "why": f"no rule in ARGUMENTS fills {list(page.arguments)}"})
            continue
        status, times, queries = measure(signed_in[page.role], url, args.repeat, args.budget)
        if status == 405:
            skipped.append({"page": page.name, "why": "takes POST only (a form's target, not a page)"})
            continue
        p95 = percentile(times, 0.95)
        results.append(Result(page=page.name, url=url, role=page.role, status=status, requests=len(times),
                              p50_ms=statistics.median(times), p95_ms=p95, max_ms=max(times), queries=queries,
                              met=p95 < TARGET_MS))
        print(table(results[-1:]).splitlines()[-1], flush=True)
    load_after = os.getloadavg()

    print()
    print(table(results))
    for item in skipped:
        print(f"skipped {item['page']}: {item['why']}")
    missed = [r for r in results if not r.met]
    print(f"{len(results) - len(missed)} of {len(results)} pages with p95 under {TARGET_MS:.0f} ms; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after, on {os.cpu_count()} cores; "
          f"in-process Django test client, {args.repeat} requests per page after one warm-up")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps({
        "server": "Django test Client in this process (whole middleware stack, no HTTP server)",
        "database": name, "built": marker, "data": figures_of_data(), "repeat": args.repeat,
        "target_p95_ms": TARGET_MS, "cores": os.cpu_count(), "load_average_before": load_before,
        "load_average_after": load_after, "commit": commit(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": [asdict(r) for r in results], "skipped": skipped,
    }, indent=2) + "\n")
    static.disable()
    static_root.cleanup()


if __name__ == "__main__":
    main()
