"""Benchmark Hipapp's pages: gunicorn with production settings, driven by wrk.

    .venv/bin/python bench/bench.py [--seconds N] [--connections C] [--pages today,history]

In order, it:

1. builds a database: a temporary SQLite file, or the scratch PostgreSQL database named by
   DATABASE_URL; loads the catalog and seeds 1,000 people, one person with three years of
   daily sessions and one with a week of them (`manage.py seed_demo`);
2. serves the app with two gunicorn servers on 127.0.0.1 with DEBUG off, against the same
   database: one as in production ("warm": the whole-page cache on), one with
   HIPAPP_PAGE_CACHE=false ("cold": every request builds its page, as the first request after
   the person's own write does); signs both people in;
3. runs wrk (bench/check.lua) against each page for a fixed time after a short warm-up,
   with the same number of connections for every page: /healthz once, then every other
   page for each person; the cached pages (drills, today, history, sessions, chart) warm and cold,
   the log form (GET) and the logging post (POST) once, as they are never cached;
4. reads the gunicorn workers' CPU time (per page) and memory (RSS, at the end) from /proc,
   and counts each page's SQL queries in-process with Django's test client, on the same
   settings and database: warm, a repeated request served from the cache; cold, one with
   the page cache off;
5. prints one table, a row a page, person and cache state, and checks the targets; the exit
   status is 1 if one is missed.

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
    log_end,
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

# Targets: requests/s of a page for the three-year person, as a ratio to /healthz in the same
# run, by (page, cache state); "-" is a page that is never cached.
MIN_RATIO_TO_HEALTHZ = {
    ("today", "warm"): 0.25,
    ("history", "warm"): 0.25,
    ("chart", "warm"): 0.25,
    ("today", "cold"): 0.10,
    ("history", "cold"): 0.05,
    ("chart", "cold"): 0.08,
    ("log-form", "-"): 0.08,
}
MIN_RATIO_TO_ONE_WEEK = 0.8  # history and chart, warm: three-year person vs one-week person
MAX_WORKER_RSS_MB = 80
WARM, COLD, UNCACHED = "warm", "cold", "-"


@dataclass(frozen=True)
class Page:
    name: str  # what --pages calls it
    path: str  # {drill} stands for the person's most logged drill
    post: bool = False  # a logged session, posted with the full form
    signed_in: bool = True
    cached: bool = False  # cached whole (hipapp/pagecache.py): measured warm and cold

    @property
    def states(self):
        return [WARM, COLD] if self.cached else [UNCACHED]


PAGES = [
    Page("healthz", "/healthz", signed_in=False),
    Page("drills", "/drills/", cached=True),
    Page("today", "/today/", cached=True),
    Page("history", "/history/", cached=True),
    Page("sessions", "/sessions/", cached=True),  # every session, 20 a page (no target)
    Page("chart", "/history/{drill}/", cached=True),
    Page("log-form", "/log/{drill}/"),  # the form to log a session (GET)
    Page("log-post", "/log/{drill}/", post=True),  # last: every post adds a session
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
    servers = {}  # cache state -> (gunicorn, port); the never-cached pages use the warm one
    try:
        use_production_settings(scratch)
        build_database()
        find_most_logged_drills()
        for state in [WARM, COLD] if any(page.cached for page in pages) else [WARM]:
            servers[state] = serve(state, args.workers, scratch / f"gunicorn-{state}.log")
        servers[UNCACHED] = servers[WARM]
        port = servers[WARM][1]
        for person in PEOPLE:
            sign_in(port, person)  # sessions live in the database: both servers know them
            if any(page.post for page in pages):
                person.log_form = log_form(port, person)

        results = {}
        for page in pages:
            for state in page.states:
                for person in PEOPLE if page.signed_in else [None]:
                    label = person.label if person else "-"
                    say(f"wrk: {page.name} ({label}, {state}), {args.seconds} s")
                    server, port = servers[state]
                    results[page.name, label, state] = load(server, port, page, person, args)
        rss = {state: worker_rss_mb(servers[state][0]) for state in servers if state != UNCACHED}
        count_queries(pages, results)
    except Exception:
        for state, (server, _) in servers.items():
            if state != UNCACHED:
                say(f"gunicorn ({state}){log_end(server)}")
        raise
    finally:
        for server, _ in set(servers.values()):
            stop(server)
        shutil.rmtree(scratch, ignore_errors=True)

    print_table(pages, results, args)
    print()
    for state, sizes in rss.items():
        print(
            f"Worker RSS, {state} server: {', '.join(f'{mb:.1f} MB' for mb in sizes)} "
            f"({len(sizes)} workers)"
        )
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


def serve(state: str, workers: int, log: Path):
    """A server with the page cache on (warm) or off (cold).

    Sync workers, one a core: each page is CPU-bound Python (threads would share one
    core under the GIL) and more processes than cores only take turns and cost memory.
    Only one server is driven at a time; the other waits idle."""
    port = free_port()
    say(f"Starting gunicorn ({state}) on {HOST}:{port} with {workers} sync workers")
    env = os.environ | {"HIPAPP_PAGE_CACHE": "true" if state == WARM else "false"}
    server = start_gunicorn(port, log, ["--workers", str(workers), "--worker-class", "sync"], env)
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
    form["pain"] = form.get("pain") or "1"  # never assumed: the person chooses it
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
    """Each page's SQL queries, through the whole middleware stack as the server runs it, the
    second of two requests: warm, the first fills the cache; cold, with the page cache off
    (settings.PAGE_CACHE, which HIPAPP_PAGE_CACHE sets for the cold server), the first builds
    the process's copy of the catalog (exercises/snapshot.py), as a server's first request
    does."""
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User

    for page in pages:
        for state in page.states:
            for person in PEOPLE if page.signed_in else [None]:
                client = Client(SERVER_NAME=HOST)  # the only allowed host
                if person:
                    client.force_login(User.objects.get(email=person.email))
                path = page.path.format(drill=person.drill if person else "")
                with override_settings(PAGE_CACHE=state != COLD):
                    if not page.post:  # warm: fills the cache; both: the process's catalog
                        client.get(path)
                    with CaptureQueriesContext(connection) as queries:
                        if page.post:
                            form = person.log_form | {"token": str(uuid.uuid4())}
                            response = client.post(path, form)
                        else:
                            response = client.get(path)
                if response.status_code != (302 if page.post else 200):
                    fail(f"{path} in-process ({state}): {response.status_code}")
                label = person.label if person else "-"
                results[page.name, label, state].queries = len(queries)
    for page in pages:
        for person in PEOPLE if page.cached else []:
            warm, cold = (results[page.name, person.label, state].queries for state in [WARM, COLD])
            if cold <= warm:
                fail(
                    f"{page.name} ({person.label}) cold ran {cold} queries, warm {warm}: "
                    "HIPAPP_PAGE_CACHE=false (settings.PAGE_CACHE) did not switch the cache off"
                )
    connection.close()


# 5. The report ------------------------------------------------------------------------


def print_table(pages, results, args):
    healthz = results["healthz", "-", UNCACHED].requests_per_second
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"\n{database}, {args.seconds} s a page, {args.connections} connections, "
        f"{args.workers} gunicorn workers, {os.cpu_count()} cores"
    )
    columns = ["page", "person", "cache", "req/s", "p50 ms", "p99 ms", "cpu ms", "queries"]
    row = "{:<10}{:<9}{:<6}{:>8}{:>9}{:>9}{:>9}{:>9}{:>12}"
    print(row.format(*columns, "vs healthz"))
    for page in pages:
        for state in page.states:
            for person in [p.label for p in PEOPLE] if page.signed_in else ["-"]:
                r = results[page.name, person, state]
                rate = r.requests_per_second
                print(
                    row.format(
                        page.name,
                        person,
                        state,
                        f"{rate:.0f}",
                        f"{r.p50_ms:.1f}",
                        f"{r.p99_ms:.1f}",
                        f"{r.cpu_ms:.1f}",
                        r.queries,
                        f"{rate / healthz:.2f}",
                    )
                )
    print(
        "cache: warm = page cache on, repeated requests served from it; cold = "
        "HIPAPP_PAGE_CACHE=false,\nevery request builds the page (as after the person's own "
        "write); - = never cached."
    )


def check_targets(results, rss) -> int:
    """PASS/FAIL for each target this run measured; 1 if any failed."""
    rate = {key: result.requests_per_second for key, result in results.items()}
    checks = []  # (passed, what was measured)
    for (page, state), target in MIN_RATIO_TO_HEALTHZ.items():
        if (page, "3 years", state) in rate:
            ratio = rate[page, "3 years", state] / rate["healthz", "-", UNCACHED]
            shown = f"{page} ({state})" if state != UNCACHED else page
            checks.append(
                (ratio >= target, f"{shown}, 3 years / healthz = {ratio:.2f}, at least {target}")
            )
    for page in ["history", "chart"]:
        if (page, "3 years", WARM) in rate:
            ratio = rate[page, "3 years", WARM] / rate[page, "1 week", WARM]
            checks.append(
                (
                    ratio >= MIN_RATIO_TO_ONE_WEEK,
                    f"{page} (warm): 3 years / 1 week = {ratio:.2f}, "
                    f"at least {MIN_RATIO_TO_ONE_WEEK}",
                )
            )
    biggest = max((mb for sizes in rss.values() for mb in sizes), default=0)
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
