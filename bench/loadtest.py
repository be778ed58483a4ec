"""Load and fault test: two app servers, one PostgreSQL, and a database restart midway.

`make loadtest` runs it. What it does, all on loopback:

1. Drops and recreates the database `hipapp_loadtest`, migrates it, loads the catalog,
   collects the static files and seeds a crowd (`seed_demo --crowd`), one person per client.
2. Starts two gunicorn servers on two free ports, same settings, same database.
3. Signs everyone in, alternating servers, and checks that a person signed in through one
   server is signed in on the other; checks that sign-in throttling counts failures made on
   both servers together (its counters live in the database, not in a process).
4. For 30 seconds, 32 writers log sessions (GET the form, POST it with its token) and 8
   readers read /today/ and /history/, every request going to the other server than the one
   before. A writer that gets a 5xx or no answer re-sends the same form (same token) after a
   short pause, as a phone would. Halfway through, PostgreSQL is stopped and started again.
5. Checks the database: every session the app acknowledged (302 to /today/) is there exactly
   once, with all its sets; nothing was saved that nobody sent; no 5xx or dropped connection
   outside the restart window (the outage plus 2 seconds); each server answers normally
   within 2 seconds of PostgreSQL accepting connections again.

It prints a summary and exits 1 when a check fails. PostgreSQL is running again and both
servers are stopped when it exits, whatever happened.
"""

import argparse
import http.client
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from common import (
    Browser,
    Failure,
    Response,
    form_fields,
    free_port,
    manage,
    production_env,
    start_gunicorn,
    stop,
    wait_until_serving,
)

PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "hipapp_loadtest"
PASSWORD = "loadtest-" + secrets.token_hex(8)
PG_CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect"]

# Two servers share the machine's two cores: two processes each so Python runs on both cores,
# four threads each to overlap the time requests spend waiting on PostgreSQL. That is 16
# persistent database connections in all, well under max_connections.
WORKERS, THREADS = 2, 4

GRACE = 2.0  # seconds after PostgreSQL is back within which the app must answer normally
REQUEST_TIMEOUT = 15.0
SIGNIN_TIMEOUT = 60.0  # signing in hashes a password (0.35 s of CPU); 40 at once queue
BACKOFF = 0.3  # pause before re-sending after a 5xx or a dropped connection
DRAIN = 15.0  # seconds after the run a writer may keep re-sending an unacknowledged form


@dataclass
class Record:
    start: float
    end: float
    port: int
    kind: str
    status: int | str  # an HTTP status, or "timeout", "refused" or "dropped" when none came


@dataclass
class Run:
    ports: list[int]
    records: list[Record] = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # (email, token) -> sets sent
    acknowledged: set = field(default_factory=set)  # (email, token)
    attempts: dict = field(default_factory=lambda: defaultdict(list))  # key -> POST wall times
    double_taps: set = field(default_factory=set)  # acknowledged, then sent and acknowledged again
    anomalies: list[str] = field(default_factory=list)
    t_stop: float | None = None
    t_up: float | None = None

    def anomaly(self, message):
        if len(self.anomalies) < 1000:
            self.anomalies.append(message)


class Client(Browser):
    """One person's browser: its own cookies; each request goes to the next server in turn,
    and is noted in the run's records. No answer is noted as "timeout", "refused" or
    "dropped" instead of a status."""

    def __init__(self, run, email, first_port_index):
        super().__init__()
        self.run = run
        self.email = email
        self.turn = first_port_index

    def next_port(self):
        port = self.run.ports[self.turn % len(self.run.ports)]
        self.turn += 1
        return port

    def request(self, method, path, form=None, *, kind, port=None, timeout=REQUEST_TIMEOUT):
        port = port or self.next_port()
        start = time.monotonic()
        try:
            response = super().request(method, path, form, port=port, timeout=timeout)
        except TimeoutError:
            response = Response("timeout")
        except ConnectionRefusedError:
            response = Response("refused")
        except (OSError, http.client.HTTPException):
            response = Response("dropped")
        self.run.records.append(Record(start, time.monotonic(), port, kind, response.status))
        if response.status == 500 and "Hipapp" not in response.text:
            self.run.anomaly(f"{method} {path} on :{port}: a 500 without the friendly error page")
        return response

    def sign_in_on(self, port, password):
        """Sign in through one server; the sign-in post's response."""
        return self.sign_in(self.email, password, port=port, kind="sign-in", timeout=SIGNIN_TIMEOUT)


# The clients.


def writer(client, drills, index, deadline, drain_deadline):
    """Log sessions until the deadline. Every fourth form is sent twice, as a double tap."""
    run, number = client.run, index
    while time.monotonic() < deadline:
        path = f"/log/{drills[number % len(drills)]}/"
        number += 1
        page = client.request("GET", path, kind="log form")
        if page.status != 200:
            if page.status == 302:
                run.anomaly(f"{client.email}: GET {path} redirected to {page.location}")
                return
            time.sleep(BACKOFF)
            continue
        form = form_fields(page.text, "log-form")
        # Pain starts empty and must be chosen: answer it as a person would.
        form = [(name, value or "1") if name == "pain" else (name, value) for name, value in form]
        token = dict(form).get("token")
        total = next((int(v) for k, v in form if k.endswith("-TOTAL_FORMS")), None)
        if not token or not total:
            run.anomaly(f"{client.email}: the log form at {path} has no token or no sets")
            return
        key = (client.email, str(uuid.UUID(token)))
        run.sent[key] = total
        if not deliver(client, path, form, run.attempts[key], drain_deadline):
            return
        run.acknowledged.add(key)
        if number % 4 == 0:
            if not deliver(client, path, form, [], drain_deadline):
                return
            run.double_taps.add(key)


def deliver(client, path, form, attempts, drain_deadline):
    """POST until the app acknowledges; after a 5xx or no answer, re-send the very same form
    (same token), as a phone would. False when it gave up or got an unexpected answer."""
    while time.monotonic() < drain_deadline:
        attempts.append(time.time())
        answer = client.request("POST", path, form, kind="log post")
        if answer.redirects_to("/today/"):
            return True
        if not is_failure(answer.status):
            client.run.anomaly(
                f"{client.email}: POST {path} answered {answer.status} {answer.location}"
            )
            return False
        time.sleep(BACKOFF)
    return False


def reader(client, deadline):
    pages = ["/today/", "/history/"]
    number = 0
    while time.monotonic() < deadline:
        path = pages[number % 2]
        number += 1
        answer = client.request("GET", path, kind="read")
        if answer.status == 302:
            client.run.anomaly(f"{client.email}: GET {path} redirected to {answer.location}")
            return
        if answer.status != 200:
            time.sleep(BACKOFF)


def prober(client, port, deadline):
    """Ask one server for /today/ every 0.1 s, to time its recovery."""
    while time.monotonic() < deadline:
        answer = client.request("GET", "/today/", kind="probe", port=port)
        if answer.status == 302:
            client.run.anomaly(f"{client.email}: GET /today/ redirected to {answer.location}")
            return
        time.sleep(0.1)


def restart_postgres(run, at, outage):
    """Stop PostgreSQL at `at`, keep it down `outage` seconds, start it, note when it is back."""
    time.sleep(max(0.0, at - time.monotonic()))
    run.t_stop = time.monotonic()
    pg_ctl("stop")
    time.sleep(outage)
    starting = subprocess.Popen(
        [*PG_CLUSTER, pg_version(), "main", "start"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up:
        if postgres_accepts():
            run.t_up = time.monotonic()
            break
        time.sleep(0.05)
    starting.wait(timeout=30)


# PostgreSQL and the servers.


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ctl(action):
    subprocess.run(
        [*PG_CLUSTER, pg_version(), "main", action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def postgres_accepts(database=DATABASE):
    try:
        with psycopg.connect(f"{PG}/{database}", connect_timeout=1):
            return True
    except psycopg.Error:
        return False


def ensure_postgres_running():
    if not postgres_accepts("postgres"):
        subprocess.run(
            [*PG_CLUSTER, pg_version(), "main", "start"], capture_output=True, timeout=60
        )
        give_up = time.monotonic() + 30
        while not postgres_accepts("postgres") and time.monotonic() < give_up:
            time.sleep(0.2)


def recreate_database():
    assert DATABASE not in {"test", "test_test"}
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def start_server(env, port, log):
    return start_gunicorn(
        port,
        log,
        [f"--workers={WORKERS}", f"--threads={THREADS}", "--timeout=30", "--graceful-timeout=5"],
        env=env,
    )


# The checks.


class Steps:
    """How long each part of the run took."""

    def __init__(self):
        self.times = {}
        self.last = time.monotonic()

    def done(self, name):
        now = time.monotonic()
        self.times[name] = now - self.last
        self.last = now

    def __str__(self):
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.times.items())


def sign_everyone_in(run, clients):
    """Sign each person in through one server, then check the other server knows them."""
    failures = []

    def sign_in(index, client):
        port = run.ports[index % 2]
        answer = client.sign_in_on(port, PASSWORD)
        if not answer.redirects_to("/today/"):
            failures.append(f"{client.email}: sign-in answered {answer.status}")
            return
        other = run.ports[(index + 1) % 2]
        page = client.request("GET", "/today/", kind="sign-in", port=other, timeout=SIGNIN_TIMEOUT)
        if page.status != 200:
            failures.append(
                f"{client.email}: signed in on :{port}, but :{other} answered "
                f"{page.status} {page.location}"
            )
        client.turn = index + 1  # continue on the other server

    threads = [
        threading.Thread(target=sign_in, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    give_up = time.monotonic() + SIGNIN_TIMEOUT * 3
    for thread in threads:
        thread.join(timeout=max(0.0, give_up - time.monotonic()))
    stuck = [c for c, t in zip(clients, threads, strict=True) if t.is_alive()]
    failures += [f"{client.email}: still signing in" for client in stuck]
    return failures


def throttling_is_shared(run, email):
    """Five wrong passwords spread over both servers (four processes) must lock the person out;
    counters kept in each process would never reach five."""
    client = Client(run, email, 0)
    for attempt in range(1, 6):  # the fifth failure is the one that locks
        answer = client.sign_in_on(run.ports[attempt % 2], "not-the-password")
        expected = 429 if attempt == 5 else 200
        if answer.status != expected:
            return f"wrong password {attempt} answered {answer.status}, expected {expected}"
    answer = client.sign_in_on(run.ports[0], PASSWORD)
    if answer.status != 429:
        return f"after 5 failures over both servers, the right password answered {answer.status}"
    return None


def saved_sessions(after_id):
    """Sessions logged during the run: (email, token) -> [(sets, created at), ...], a row each."""
    found = defaultdict(list)
    with psycopg.connect(f"{PG}/{DATABASE}") as conn:
        rows = conn.execute(
            """
            SELECT u.email, s.token::text, count(e.id), s.created_at
            FROM progress_trainingsession s
            JOIN accounts_user u ON u.id = s.user_id
            LEFT JOIN progress_setentry e ON e.session_id = s.id
            WHERE s.id > %s
            GROUP BY s.id, u.email
            """,
            [after_id],
        ).fetchall()
    for email, token, sets, created_at in rows:
        found[(email, token)].append((sets, created_at.timestamp()))
    return found


def is_failure(status):
    return isinstance(status, str) or status >= 500


def summarize(run, t0, t_end, signin_failures, throttle_failure, stuck, seeded):
    failures = []
    rel = lambda t: t - t0  # noqa: E731

    print()
    print(f"Hipapp load test: {len(run.ports)} app servers ({', '.join(map(str, run.ports))}),")
    print(f"  each gunicorn --workers {WORKERS} --threads {THREADS}, one PostgreSQL ({DATABASE})")

    print(f"Signed in on one server, signed in on the other: {'no' if signin_failures else 'yes'}")
    for failure in signin_failures[:10]:
        print(f"  {failure}")
    if signin_failures:
        failures.append(f"{len(signin_failures)} sign-in or cross-server checks failed")
    print(f"Sign-in throttling shared by both servers: {throttle_failure or 'yes'}")
    if throttle_failure:
        failures.append(f"sign-in throttling: {throttle_failure}")

    if run.t_stop is None or run.t_up is None:
        failures.append("PostgreSQL was not restarted, or did not come back within 30 s")
        window = (float("inf"), float("inf"))
        print("PostgreSQL restart: did not complete")
    else:
        window = (run.t_stop, run.t_up + GRACE)
        print(
            f"PostgreSQL: stopped at {rel(run.t_stop):.2f} s, accepting connections again at "
            f"{rel(run.t_up):.2f} s (down {run.t_up - run.t_stop:.2f} s); restart window with "
            f"{GRACE:.0f} s grace: {rel(window[0]):.2f}..{rel(window[1]):.2f} s"
        )

    # Requests by phase and status.
    phases = [
        ("sign-in", float("-inf"), t0),
        ("before restart", t0, run.t_stop or t_end),
        ("restart window", run.t_stop or t_end, run.t_up or t_end),
        (f"grace ({GRACE:.0f} s)", run.t_up or t_end, (run.t_up or t_end) + GRACE),
        ("after", (run.t_up or t_end) + GRACE, float("inf")),
    ]
    table = {name: Counter() for name, *_ in phases}
    latencies = {name: [] for name, *_ in phases}
    for record in run.records:
        for name, begin, end in phases:
            if begin <= record.start < end:
                table[name][record.status] += 1
                latencies[name].append(record.end - record.start)
                break
    statuses = sorted({s for c in table.values() for s in c}, key=str)
    print()
    print("Requests by phase and status (a phase holds the requests that started in it):")
    header = "".join(f"{s!s:>8}" for s in statuses)
    print(f"  {'phase':<16}{header}{'total':>8}  {'median':>7}{'slowest':>8}")
    for name, *_ in phases:
        counts, times = table[name], sorted(latencies[name]) or [0.0]
        row = "".join(f"{counts[s]:>8}" for s in statuses)
        print(
            f"  {name:<16}{row}{sum(counts.values()):>8}  "
            f"{times[len(times) // 2]:>6.2f}s{times[-1]:>7.2f}s"
        )
    duration = t_end - t0
    in_load = [r for r in run.records if t0 <= r.start < t_end]
    print(f"  {len(in_load)} requests in {duration:.1f} s of load: {len(in_load) / duration:.0f}/s")

    # 5xx and dropped connections, inside and outside the window.
    bad = [r for r in run.records if is_failure(r.status)]
    overlaps = [r.end >= window[0] and r.start <= window[1] for r in bad]
    inside = [r for r, overlap in zip(bad, overlaps, strict=True) if overlap]
    outside = [r for r, overlap in zip(bad, overlaps, strict=True) if not overlap]
    print()
    print(f"5xx or no answer inside the restart window: {len(inside)}")
    print(f"5xx or no answer outside it: {len(outside)}")
    for record in outside[:10]:
        print(f"  {record.kind} on :{record.port} at {rel(record.start):.2f} s: {record.status}")
    if outside:
        failures.append(f"{len(outside)} 5xx or dropped requests outside the restart window")

    # Recovery, per server: from PostgreSQL accepting connections until the server has
    # answered normally and answers nothing abnormal any more.
    print()
    for port in run.ports:
        if run.t_up is None:
            break
        after = [r for r in run.records if r.port == port and r.end >= run.t_up]
        first_ok = min((r.end for r in after if r.status in (200, 302)), default=None)
        last_bad = max((r.end for r in after if is_failure(r.status)), default=run.t_up)
        if first_ok is None:
            print(f"Recovery on :{port}: never answered normally")
            failures.append(f"server :{port} never recovered")
            continue
        recovery = max(first_ok, last_bad) - run.t_up
        print(
            f"Recovery on :{port}: {recovery:.2f} s (first normal answer after "
            f"{first_ok - run.t_up:.2f} s; limit {GRACE:.0f} s)"
        )
        if recovery > GRACE:
            failures.append(f"server :{port} took {recovery:.2f} s to recover")

    # The data.
    saved = saved_sessions(seeded or 0)
    once = sum(1 for key in run.acknowledged if len(saved.get(key, [])) == 1)
    missing = [key for key in run.acknowledged if key not in saved]
    duplicated = [key for key, rows in saved.items() if len(rows) > 1]
    half_saved = [
        key for key, rows in saved.items() if any(sets != run.sent.get(key) for sets, _ in rows)
    ]
    resent = [key for key in run.acknowledged if len(run.attempts[key]) > 1]
    # Saved by an attempt before the last: its answer was lost, the re-send saved nothing new.
    answer_lost = [
        key for key in resent if key in saved and saved[key][0][1] < run.attempts[key][-1]
    ]
    unsent = [key for key in saved if key not in run.sent]
    unacknowledged = [key for key in saved if key in run.sent and key not in run.acknowledged]
    given_up = [key for key in run.sent if key not in run.acknowledged and key not in saved]
    print()
    print(f"Sessions sent: {len(run.sent)}; acknowledged by the app: {len(run.acknowledged)}")
    print(f"  acknowledged and found exactly once: {once}")
    print(
        f"  sent again after being acknowledged (a double tap), acknowledged again: "
        f"{len(run.double_taps)}"
    )
    print(
        f"  acknowledged after re-sending: {len(resent)}; of those, saved by an earlier "
        f"attempt whose answer was lost: {len(answer_lost)}"
    )
    print(f"  acknowledged but missing: {len(missing)}")
    print(f"  saved more than once: {len(duplicated)}")
    print(f"  half-saved (sets in the database differ from the sets sent): {len(half_saved)}")
    print(f"  saved but never sent: {len(unsent)}")
    print(f"  saved but unacknowledged (answer lost, client gave up): {len(unacknowledged)}")
    print(f"  sent, never acknowledged, not saved: {len(given_up)}")
    for label, keys in [
        ("missing", missing),
        ("duplicated", duplicated),
        ("half-saved", half_saved),
        ("never sent", unsent),
    ]:
        for email, token in keys[:5]:
            print(f"    {label}: {email} {token} rows {saved.get((email, token))}")
        if keys:
            failures.append(f"{len(keys)} sessions {label}")
    if not run.acknowledged:
        failures.append("no session was acknowledged")

    if run.anomalies:
        print()
        print(f"Unexpected answers: {len(run.anomalies)}")
        for anomaly in run.anomalies[:10]:
            print(f"  {anomaly}")
        failures.append(f"{len(run.anomalies)} unexpected answers")
    if stuck:
        failures.append(f"{stuck} clients were still running at the end")

    print()
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  - {failure}")
    else:
        print("PASSED")
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL is down")
    options = parser.parse_args()

    began = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    logs = Path(tempfile.mkdtemp(prefix="hipapp-loadtest-"))
    servers = []
    try:
        ensure_postgres_running()
        env = os.environ | production_env(DATABASE_URL=f"{PG}/{DATABASE}")
        print(f"Setting up {DATABASE} (logs in {logs})", flush=True)
        steps = Steps()
        recreate_database()
        steps.done("database")
        manage("migrate", "--no-input", env=env, timeout=120)
        steps.done("migrate")
        manage("load_catalog", env=env, timeout=120)
        manage("collectstatic", "--no-input", env=env, timeout=120)
        steps.done("catalog and static files")
        # The crowd: people with a few weeks of history each, so today and history have
        # something to show. One per client, plus one to lock out.
        crowd = options.writers + options.readers + 3
        manage(
            "seed_demo",
            "--weeks=1",
            f"--crowd={crowd}",
            f"--password={PASSWORD}",
            env=env,
            timeout=120,
        )
        people = [f"crowd-{n:04}@hipapp.test" for n in range(1, crowd + 1)]
        writers, people = people[: options.writers], people[options.writers :]
        readers, people = people[: options.readers], people[options.readers :]
        probers, locked = people[:2], people[2]
        with psycopg.connect(f"{PG}/{DATABASE}") as conn:
            drills = [r[0] for r in conn.execute("SELECT slug FROM exercises_drill ORDER BY slug")]
            seeded = conn.execute("SELECT max(id) FROM progress_trainingsession").fetchone()[0]
        steps.done("crowd")

        run = Run(ports=[free_port(), free_port()])
        while run.ports[0] == run.ports[1]:
            run.ports[1] = free_port()
        for n, port in enumerate(run.ports):
            servers.append(start_server(env, port, logs / f"server-{'ab'[n]}-{port}.log"))
        for port, process in zip(run.ports, servers, strict=True):
            wait_until_serving(process, port)
        steps.done("servers")

        print(f"Signing in {len(writers) + len(readers) + len(probers)} people", flush=True)
        clients = [Client(run, email, 0) for email in [*writers, *readers, *probers]]
        signin_failures = sign_everyone_in(run, clients)
        throttle_failure = throttling_is_shared(run, locked)
        steps.done("sign-in")

        print(f"Load for {options.duration:.0f} s, PostgreSQL restarted midway", flush=True)
        t0 = time.monotonic()
        deadline = t0 + options.duration
        drain = deadline + DRAIN
        writer_clients = clients[: len(writers)]
        reader_clients = clients[len(writers) : len(writers) + len(readers)]
        prober_clients = clients[len(writers) + len(readers) :]
        threads = [
            threading.Thread(target=writer, args=(c, drills, n, deadline, drain))
            for n, c in enumerate(writer_clients)
        ]
        threads += [threading.Thread(target=reader, args=(c, deadline)) for c in reader_clients]
        threads += [
            threading.Thread(target=prober, args=(c, port, deadline))
            for c, port in zip(prober_clients, run.ports, strict=True)
        ]
        threads.append(
            threading.Thread(
                target=restart_postgres, args=(run, t0 + options.duration / 2, options.outage)
            )
        )
        for thread in threads:
            thread.daemon = True
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, drain + REQUEST_TIMEOUT + 5 - time.monotonic()))
        stuck = sum(thread.is_alive() for thread in threads)
        t_end = deadline
        steps.done("load and re-sends")

        ensure_postgres_running()
        passed = summarize(run, t0, t_end, signin_failures, throttle_failure, stuck, seeded)
        steps.done("checks")
        print(f"Time: {steps}; total {time.monotonic() - began:.1f} s")
        print(f"Server logs: {logs}")
        return 0 if passed else 1
    finally:
        for server in servers:
            stop(server)
        ensure_postgres_running()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as error:
        sys.exit(f"loadtest: {error}")
