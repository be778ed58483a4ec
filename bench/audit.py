"""`make audit`: Lighthouse scores for the signed-in pages, served the way production serves them.

A throwaway SQLite database gets the catalog and a person with twelve weeks of history
(`manage.py seed_demo`); gunicorn serves it with production settings on a free loopback port;
the script signs in over HTTP and runs Lighthouse (bench/node_modules, Debian's Chromium, the
default mobile form factor) on today, history, the log form and the catalog with that session.
It prints one row of scores per page and, for each category below its target, the audits that
fail. Exit status 1 when a target is missed.

    .venv/bin/python bench/audit.py [--pages today,log] [--runs N] [--reports DIR]

Each page is audited three times (`--runs`) and its median run by performance counts, as
Lighthouse advises: timing varies with whatever else the machine is doing. `--pages` picks
some of today, history, log and catalog (CI audits today). CHROME_PATH names another
Chromium; `--reports DIR` keeps Lighthouse's JSON reports. A Lighthouse error (or a page that
did not answer 200 itself) stops the audit with exit status 2.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    HOST,
    ROOT,
    Browser,
    Failure,
    free_port,
    manage,
    production_env,
    start_gunicorn,
    stop,
    wait_until_serving,
)

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
EMAIL = "audit@hipapp.test"
# The pages audited (--pages picks some); {drill} is a drill on the person's current stage.
PAGES = {"today": "/today/", "history": "/history/", "log": "/log/{drill}/", "catalog": "/drills/"}
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.9}
# Chromium runs as root in containers here: no sandbox, no GPU, nothing phoning home.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Chromium keeps a spare renderer process ready ahead of need. Lighthouse opens about:blank,
# starts tracing, then loads the page, whose Cross-Origin-Opener-Policy sends it to another
# process: the spare, started before tracing began, whose events are dropped until it has
# joined the trace. When the page commits first (a cached page answers in milliseconds; on a
# busy machine joining is slow) its navigationStart is dropped and Lighthouse stops with
# NO_NAVSTART. Without a spare, the page's renderer starts while tracing is on and is traced
# from its first event. Chromium reads only the last --disable-features, so this is added to
# chrome-launcher's own list (RenderDocument is on it, for a similar trace problem).
DISABLE_FEATURES = ["SpareRendererForSitePerProcess"]
# chrome-launcher's default flags, resolved from Lighthouse's own package as Lighthouse does.
LAUNCHER_FLAGS = """
import {createRequire} from "node:module";
import {pathToFileURL} from "node:url";
const path = createRequire(process.argv[1]).resolve("chrome-launcher");
const {Launcher} = await import(pathToFileURL(path));
console.log(JSON.stringify(Launcher.defaultFlags()));
"""


def run(command, env, what):
    """Run a command quietly; on failure, show its output and stop.

    Interrupted (Ctrl-C, or SIGTERM), the command gets a SIGINT of its own: Lighthouse
    answers it by closing its Chromium, which runs in a process group of its own.
    """
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate()
    except BaseException:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    if process.returncode != 0:
        raise Failure(f"{what} failed (exit {process.returncode}):\n{output}")
    return output


def django_env(tmp):
    """Production settings on a throwaway SQLite database, over plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    return env | production_env(
        DJANGO_SQLITE_PATH=str(tmp / "audit.sqlite3"),
        DJANGO_STATIC_ROOT=str(tmp / "static"),
    )


def prepare(env, password):
    """Database, catalog, the person and their history, collected static files.

    Returns the slug of a drill on the person's current stage, for the log page.
    """
    manage("migrate", "--no-input", env=env)
    manage("load_catalog", env=env)
    seed = ["seed_demo", "--weeks", "12", "--email", EMAIL, f"--password={password}"]
    manage(*seed, "--replace", env=env)
    manage("collectstatic", "--no-input", env=env)
    slug = manage(
        "shell",
        "--no-imports",
        "-c",
        "from progress.models import FollowedTrack\n"
        f"followed = FollowedTrack.objects.filter(user__email={EMAIL!r}).current().first()\n"
        "print(followed.stage.drill.slug if followed else '')",
        env=env,
    ).strip()
    if not slug:
        raise Failure(f"seed_demo left {EMAIL} following no track: no drill to log")
    return slug


def start_server(env, port, log):
    # gunicorn's and Django's logs (a 404 for /robots.txt, say) go to a file, shown on failure.
    server = start_gunicorn(port, log, ["--workers=2", "--log-level=warning"], env=env)
    try:
        wait_until_serving(server, port)
    except Failure:
        stop(server)
        raise
    return server


def sign_in(port, password):
    """Sign in through the login form; return the session cookie's value."""
    browser = Browser(port)
    answer = browser.sign_in(EMAIL, password)
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise Failure(f"signing in as {EMAIL} failed ({answer.status} {answer.location})")
    return browser.cookies["sessionid"]


def check_page(port, path, session):
    """The page must answer 200 itself: auditing a redirect to sign-in would be meaningless."""
    answer = Browser(port, {"sessionid": session}).request("GET", path)
    if answer.status != 200:
        raise Failure(f"{path} answered {answer.status} {answer.location}")


def disable_features():
    """--disable-features with chrome-launcher's features and ours."""
    package = LIGHTHOUSE.resolve().parent.parent / "package.json"  # .bin/lighthouse's package
    script = ["node", "--input-type=module", "-e", LAUNCHER_FLAGS, str(package)]
    defaults = json.loads(run(script, os.environ, "asking chrome-launcher for its flags"))
    prefix = "--disable-features="
    theirs = [flag.removeprefix(prefix).split(",") for flag in defaults if flag.startswith(prefix)]
    features = [feature for names in theirs for feature in names]
    return prefix + ",".join(features + [f for f in DISABLE_FEATURES if f not in features])


def lighthouse(url, headers_path, report_path, tmp, chrome, features):
    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=tmp))
    flags = " ".join([*CHROME_FLAGS, features, f"--user-data-dir={profile}"])
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report_path}",
        "--quiet",
        f"--only-categories={','.join(TARGETS)}",
        f"--chrome-flags={flags}",
        f"--extra-headers={headers_path}",
    ]
    # chrome-launcher keeps its own scratch directory under TMPDIR: keep that in ours too.
    env = {**os.environ, "CHROME_PATH": chrome, "TMPDIR": str(tmp), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    run(command, env, f"Lighthouse on {url}")
    shutil.rmtree(profile, ignore_errors=True)
    report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        raise Failure(f"Lighthouse on {url}: {report['runtimeError']['message']}")
    if report["finalDisplayedUrl"] != url:  # say, sent to sign in: the cookie was not used
        raise Failure(f"Lighthouse on {url} audited {report['finalDisplayedUrl']}")
    return report


def failing_audits(report, category):
    """Titles of the audits that pull a category down (as Lighthouse's report lists them)."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit["scoreDisplayMode"] not in {"binary", "numeric", "metricSavings"}:
            continue
        if audit["score"] is None or audit["score"] >= 0.9:
            continue
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        lines.append(f"{audit['title']}{value} [{ref['id']}, score {audit['score']:.2f}]")
    return lines


def performance(report):
    return report["categories"]["performance"]["score"] or 0


def audit(names, runs, reports_dir):
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not chrome:
        raise Failure("no Chromium: install Debian's (`make browser`) or set CHROME_PATH")
    if not LIGHTHOUSE.exists():
        raise Failure("no Lighthouse: run `npm ci --prefix bench`")
    features = disable_features()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hipapp-audit-") as tmp_name:
        tmp = Path(tmp_name)
        env = django_env(tmp)
        password = secrets.token_urlsafe(16)
        slug = prepare(env, password)
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = start_server(env, port, tmp / "gunicorn.log")
        try:
            session = sign_in(port, password)
            headers_path = tmp / "headers.json"
            headers_path.write_text(json.dumps({"Cookie": f"sessionid={session}"}))
            pages = {name: PAGES[name].format(drill=slug) for name in names}
            reports = {}
            for name, path in pages.items():
                check_page(port, path, session)
                print(f"Lighthouse: {name} ({path}) x{runs}", file=sys.stderr, flush=True)
                reports[name] = [
                    lighthouse(
                        base + path,
                        headers_path,
                        (reports_dir or tmp) / f"{name}-{number}.json",
                        tmp,
                        chrome,
                        features,
                    )
                    for number in range(1, runs + 1)
                ]
        except Failure:
            print(f"gunicorn's log:\n{(tmp / 'gunicorn.log').read_text()}", file=sys.stderr)
            raise
        finally:
            stop(server)
    return pages, reports, time.monotonic() - started


def print_results(pages, all_reports, seconds):
    """Print the score table and what fails; return whether every target was met.

    Each page's row is its median run by performance: the other categories hardly vary,
    but timing does, with whatever else the machine is doing (Lighthouse's own advice).
    """
    reports = {
        name: sorted(runs, key=performance)[len(runs) // 2] for name, runs in all_reports.items()
    }
    width = max(len(f"{name} {path}") for name, path in pages.items())
    print(f"\n{'page':<{width}}  " + "  ".join(f"{category:>14}" for category in TARGETS))
    print(f"{'target':<{width}}  " + "  ".join(f"{target:>14.2f}" for target in TARGETS.values()))
    missed = []
    for name, path in pages.items():
        cells = []
        for category, target in TARGETS.items():
            score = reports[name]["categories"][category]["score"]
            below = score is None or score < target
            if below:
                missed.append((name, category, score))
            shown = "error" if score is None else f"{score:.2f}"
            cells.append(f"{shown + (' *' if below else '  '):>14}")
        print(f"{name + ' ' + path:<{width}}  " + "  ".join(cells))
    runs = len(next(iter(all_reports.values())))
    print(f"(* below target; the median of {runs} runs a page; {seconds:.0f}s in all)")
    if runs > 1:
        for name, page_runs in all_reports.items():
            scores = " ".join(f"{performance(report):.2f}" for report in page_runs)
            print(f"  {name} performance, run by run: {scores}")
    print("Every target is met." if not missed else f"{len(missed)} scores below target.")
    for name, category, score in missed:
        print(f"\n{name}: {category} {score} is below {TARGETS[category]}")
        for line in failing_audits(reports[name], category) or ["(no single audit fails)"]:
            print(f"  - {line}")
    return not missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs a page; the median counts (3)"
    )
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    parser.add_argument(
        "--pages",
        type=lambda text: text.split(","),
        default=list(PAGES),
        help=f"comma-separated subset of {','.join(PAGES)} (default: all)",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if args.reports:
        args.reports = args.reports.resolve()
        args.reports.mkdir(parents=True, exist_ok=True)
    # `kill` (SIGTERM) unwinds like Ctrl-C does, so gunicorn is stopped and temp files go.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        pages, reports, seconds = audit(args.pages, args.runs, args.reports)
    except Failure as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0 if print_results(pages, reports, seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
