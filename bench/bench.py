"""Benchmark Hipapp's pages: gunicorn with production settings, driven by wrk.

    .venv/bin/python bench/bench.py [--seconds N] [--connections C] [--pages today,history]

In order, it:

1. builds a database: a temporary SQLite file, or the scratch PostgreSQL database named by
   DATABASE_URL; loads the catalog and seeds 1,000 people, one person with three years of
   daily sessions and one with a week of them (`manage.py seed_demo`);
2. serves the app with gunicorn on 127.0.0.1 with DEBUG off and signs both people in;
3. runs wrk (bench/check.lua) against each page for a fixed time after a short warm-up,
   with the same number of connections for every page: /healthz once, then every other
   page for each person;
4. reads the gunicorn workers' CPU time (per page) and memory (RSS, at the end) from /proc,
   and counts each page's SQL queries in-process with Django's test client, on the same
   settings and database;
5. prints one table and checks the targets; the exit status is 1 if one is missed.

Throughput is compared as a ratio to /healthz measured in the same run, so that runs on
different machines can be compared. On a busy machine, the workers' CPU time per request
("cpu ms") is the steadier number: requests/s there depend on what else is running.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from common import (
    HOST,
    ROOT,
    Browser,
    Failure,
    form_fields,
    free_port,
    manage,
    production_env,
    start_gunicorn,
    stop,
    wait_until_serving,
)

CHECK_LUA = Path(__file__).resolve().parent / "check.lua"
PASSWORD = "bench-password-not-a-secret"
CROWD = 1_000
SEED = 1

# Targets, as ratios measured in one run.
MIN_RATIO_TO_HEALTHZ = 0.25  # today and history, three-year person, vs /healthz
MIN_RATIO_TO_ONE_WEEK = 0.8  # history, three-year person vs one-week person
MAX_WORKER_RSS_MB = 80


@dataclass(frozen=True)
class Page:
    name: str  # what --pages calls it
    path: str  # {drill} stands for the person's most logged drill
    post: bool = False  # a logged session, posted with the full form
    signed_in: bool = True


PAGES = [
    Page("healthz", "/healthz", signed_in=False),
    Page("drills", "/drills/"),
    Page("today", "/today/"),
    Page("history", "/history/"),
    Page("chart", "/history/{drill}/"),
    Page("log", "/log/{drill}/", post=True),  # last: every post adds a session
]


@dataclass
class Person:
    label: str
    email: str
    weeks: int
    drill: str = ""  # the slug of the drill they logged most: their biggest chart
    cookies: dict = field(default_factory=dict)  # after signing in: sessionid, csrftoken
    log_form: dict = field(default_factory=dict)  # the log form's fields, token left out


PEOPLE = [
    Person("3 years", "three-years@bench.hipapp.test", weeks=156),
    Person("1 week", "one-week@bench.hipapp.test", weeks=1),
]


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # the workers' CPU time per request
    queries: int | None = None


def main() -> int:
    args = parse_args()
    pages = [page for page in PAGES if page.name == "healthz" or page.name in args.pages]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as for Ctrl-C
    scratch = Path(tempfile.mkdtemp(prefix="hipapp-bench-"))
    server = None
    try:
        use_production_settings(scratch)
        build_database()
        find_most_logged_drills()
        server, port = serve(args.workers, scratch / "gunicorn.log")
        for person in PEOPLE:
            sign_in(port, person)
            if any(page.post for page in pages):
                person.log_form = log_form(port, person)

        results = {}
        for page in pages:
            for person in [None] if not page.signed_in else PEOPLE:
                label = person.label if person else "-"
                say(f"wrk: {page.name} ({label}), {args.seconds} s")
                results[page.name, label] = load(server, port, page, person, args)
        rss = worker_rss_mb(server)
        count_queries(pages, results)
    except Exception:
        log = scratch / "gunicorn.log"
        if log.exists() and log.stat().st_size:
            say("gunicorn's log ends with:\n" + "\n".join(log.read_text().splitlines()[-20:]))
        raise
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(scratch, ignore_errors=True)

    print_table(pages, results, args)
    print(f"\nWorker RSS: {', '.join(f'{mb:.1f} MB' for mb in rss)} ({len(rss)} workers)")
    return check_targets(results, rss)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=(
            "Database: a temporary SQLite file, removed afterwards. With DATABASE_URL set, "
            "that PostgreSQL database is used instead; it must be a SCRATCH database whose "
            "name contains 'bench' (e.g. hipapp_bench): it is migrated, the catalog is "
            "loaded, the bench people are replaced, and the posts add sessions to it."
        ),
    )
    parser.add_argument("--seconds", type=int, default=5, help="load per page (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up per page (default 1)")
    parser.add_argument(
        "--connections", type=int, default=8, help="open connections, every page (default 8)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn sync workers (default 2: one a core, as the pages are CPU-bound)",
    )
    names = [page.name for page in PAGES]
    parser.add_argument(
        "--pages",
        type=lambda text: text.split(","),
        default=names,
        help=f"comma-separated subset of {','.join(names)} (healthz always runs)",
    )
    args = parser.parse_args()
    unknown = set(args.pages) - set(names)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    return args


def say(message):
    print(message, file=sys.stderr, flush=True)


def fail(message):
    raise Failure(message)


# 1. The database ----------------------------------------------------------------------


def use_production_settings(scratch: Path):
    """DEBUG off, as in production, but on plain http at 127.0.0.1.

    Set in os.environ, so manage.py, gunicorn and the in-process query count share them.
    """
    os.environ.update(production_env(DJANGO_SETTINGS_MODULE="hipapp.settings"))
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.environ["DJANGO_SQLITE_PATH"] = str(scratch / "bench.sqlite3")
    elif "bench" not in urlsplit(url).path:
        fail("DATABASE_URL must name a scratch database with 'bench' in its name (see --help)")


def create_postgres_database(url: str):
    """The scratch database named by DATABASE_URL, created on its server if it is not there."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            say(f"Creating the PostgreSQL database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build_database():
    url = os.environ.get("DATABASE_URL")
    say(f"Building the database in {url or 'a temporary SQLite file'}")
    if url:
        create_postgres_database(url)
    manage("migrate", "--no-input")
    manage("load_catalog")
    for person, crowd in zip(PEOPLE, [CROWD, 0], strict=True):
        say(f"Seeding {person.email} ({person.label} of daily sessions) and {crowd:,} others")
        manage(
            "seed_demo",
            *("--email", person.email, "--password", PASSWORD),
            *("--weeks", str(person.weeks), "--days-per-week", "7"),
            *("--crowd", str(crowd), "--seed", str(SEED), "--replace"),
        )
    manage("collectstatic", "--no-input")  # whitenoise serves the hashed files with DEBUG off


def setup_django():
    """Django, set up in this process on the same settings and database as the server."""
    import django

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()


def find_most_logged_drills():
    """Each person's most logged drill: the chart and the log form they are benchmarked on."""
    setup_django()
    from django.db import connection
    from django.db.models import Count

    from progress.models import TrainingSession

    for person in PEOPLE:
        person.drill = (
            TrainingSession.objects.filter(user__email=person.email)
            .values_list("drill__slug", flat=True)
            .annotate(sessions=Count("id"))
            .order_by("-sessions", "drill__slug")
            .first()
        )
        if person.drill is None:
            fail(f"{person.email} has no sessions: did seed_demo run?")
    connection.close()  # no connection held open while the server runs


# 2. The server ------------------------------------------------------------------------


def serve(workers: int, log: Path):
    """Sync workers, one a core: each page is CPU-bound Python (threads would share one
    core under the GIL) and more processes than cores only take turns and cost memory."""
    port = free_port()
    say(f"Starting gunicorn on {HOST}:{port} with {workers} sync workers")
    server = start_gunicorn(port, log, ["--workers", str(workers), "--worker-class", "sync"])
    wait_until_serving(server, port)
    return server, port


def workers(server) -> list[Path]:
    """/proc/<pid> of each gunicorn worker: the master's children."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a process that just ended
        if parent == server.pid:
            found.append(stat.parent)
    return found


def cpu_seconds(server) -> float:
    """The CPU time (user and system) the workers have used so far."""
    ticks = 0
    for proc in workers(server):
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_rss_mb(server) -> list[float]:
    sizes = []
    for proc in workers(server):
        status = (proc / "status").read_text()
        kilobytes = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(int(kilobytes.split()[1]) / 1024)
    return sorted(sizes, reverse=True)


def sign_in(port, person: Person):
    answer = Browser(port, person.cookies).sign_in(person.email, PASSWORD)
    if answer.status != 302 or "sessionid" not in person.cookies:
        fail(f"signing in {person.email} failed: {answer.status} {answer.location}")


def log_form(port, person: Person) -> dict:
    """The log form as the page fills it in (last time's sets), checked by one real post."""
    browser = Browser(port, person.cookies)
    path = f"/log/{person.drill}/"
    page = browser.request("GET", path)
    if page.status != 200:
        fail(f"GET {path} as {person.label}: {page.status}")
    form = {name: value for name, value in form_fields(page.text, "log-form") if name != "token"}
    answer = browser.request("POST", path, form | {"token": str(uuid.uuid4())})
    if not answer.redirects_to("/today/"):
        fail(
            f"POST {path} was not saved ({answer.status} {answer.location}): "
            f"{form_errors(answer.text)}; sent {form}"
        )
    return form


def form_errors(page: str) -> list[str]:
    """The error messages on a rejected form (crispy marks them invalid-feedback)."""
    pattern = r'class="(?:invalid-feedback|alert alert-danger)[^>]*>(.*?)</(?:p|div)>'
    found = re.findall(pattern, page, flags=re.DOTALL)
    return [re.sub(r"<[^>]+>", "", error).strip() for error in found]


# 3. The load --------------------------------------------------------------------------


def load(server, port, page: Page, person: Person | None, args) -> Result:
    """A warm-up, then the measured run; any unexpected response stops the bench.

    Besides wrk's numbers, the workers' CPU time per request: unlike requests/s, it barely
    changes when other programs compete for the cores."""
    url = f"http://{HOST}:{port}{page.path.format(drill=person.drill if person else '')}"
    cookies = "; ".join(f"{k}={v}" for k, v in person.cookies.items()) if person else ""
    script_args = ["POST", "302", urlencode(person.log_form)] if page.post else ["GET", "200"]
    for seconds in (args.warmup, args.seconds):
        command = ["wrk", "--threads", "1", "--connections", str(args.connections)]
        command += ["--duration", f"{seconds}s", "--timeout", "10s", "--script", str(CHECK_LUA)]
        if cookies:
            command += ["--header", f"Cookie: {cookies}"]
        cpu_before = cpu_seconds(server)
        done = subprocess.run(
            [*command, url, "--", *script_args], capture_output=True, text=True, check=True
        )
        cpu_used = cpu_seconds(server) - cpu_before
        report = json.loads(done.stdout.strip().splitlines()[-1])
        if report["unexpected"] or report["socket_errors"]:
            fail(
                f"{url}: {report['unexpected']} unexpected responses (such as "
                f"{report['example']!r}), {report['socket_errors']} socket errors"
            )
    return Result(
        requests_per_second=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        cpu_ms=cpu_used * 1000 / report["requests"],
    )


# 4. Queries ---------------------------------------------------------------------------


def count_queries(pages, results):
    """Each page's SQL queries, through the whole middleware stack as the server runs it."""
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    for page in pages:
        for person in PEOPLE if page.signed_in else [None]:
            client = Client(SERVER_NAME=HOST)  # the only allowed host
            if person:
                client.force_login(User.objects.get(email=person.email))
            path = page.path.format(drill=person.drill if person else "")
            with CaptureQueriesContext(connection) as queries:
                if page.post:
                    response = client.post(path, person.log_form | {"token": str(uuid.uuid4())})
                else:
                    response = client.get(path)
            if response.status_code != (302 if page.post else 200):
                fail(f"{path} in-process: {response.status_code}")
            results[page.name, person.label if person else "-"].queries = len(queries)
    connection.close()


# 5. The report ------------------------------------------------------------------------


def print_table(pages, results, args):
    healthz = results["healthz", "-"].requests_per_second
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"\n{database}, {args.seconds} s a page, {args.connections} connections, "
        f"{args.workers} gunicorn workers, {os.cpu_count()} cores"
    )
    columns = ["page", "person", "req/s", "p50 ms", "p99 ms", "cpu ms", "queries", "vs healthz"]
    row = "{:<9}{:<9}{:>8}{:>9}{:>9}{:>9}{:>9}{:>12}"
    print(row.format(*columns))
    for page in pages:
        for person in [p.label for p in PEOPLE] if page.signed_in else ["-"]:
            r = results[page.name, person]
            rate = r.requests_per_second
            print(
                row.format(
                    page.name,
                    person,
                    f"{rate:.0f}",
                    f"{r.p50_ms:.1f}",
                    f"{r.p99_ms:.1f}",
                    f"{r.cpu_ms:.1f}",
                    r.queries,
                    f"{rate / healthz:.2f}",
                )
            )


def check_targets(results, rss) -> int:
    """PASS/FAIL for each target this run measured; 1 if any failed."""
    rate = {key: result.requests_per_second for key, result in results.items()}
    checks = []  # (passed, what was measured)
    for page in ["today", "history", "chart"]:
        if (page, "3 years") in rate:
            ratio = rate[page, "3 years"] / rate["healthz", "-"]
            checks.append(
                (
                    ratio >= MIN_RATIO_TO_HEALTHZ,
                    f"{page} (3 years) / healthz = {ratio:.2f}, at least {MIN_RATIO_TO_HEALTHZ}",
                )
            )
    for page in ["history", "chart"]:
        if (page, "3 years") in rate:
            ratio = rate[page, "3 years"] / rate[page, "1 week"]
            checks.append(
                (
                    ratio >= MIN_RATIO_TO_ONE_WEEK,
                    f"{page}: 3 years / 1 week = {ratio:.2f}, at least {MIN_RATIO_TO_ONE_WEEK}",
                )
            )
    biggest = max(rss, default=0)
    checks.append(
        (
            biggest < MAX_WORKER_RSS_MB,
            f"largest worker RSS = {biggest:.1f} MB, under {MAX_WORKER_RSS_MB} MB",
        )
    )
    print("\nTargets:")
    for passed, text in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return 0 if all(passed for passed, _ in checks) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as error:
        sys.exit(f"bench: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
