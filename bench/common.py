"""What the bench scripts share: the app served as in production, and a small HTTP client.

bench.py, loadtest.py and audit.py run as `python bench/<script>.py`, which puts this folder
first on sys.path, so they `import common`. Here:

- production_env(): the variables that run the app with DEBUG off, on plain HTTP at 127.0.0.1;
- manage(): one manage.py command, its output shown when it fails;
- free_port(), start_gunicorn(), wait_until_serving(), stop(): a gunicorn server;
- Browser: cookies kept, redirects not followed, signing in through the form;
- form_fields(): what a browser would submit from a form on a page.
"""

import http.client
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LOGIN = "/accounts/login/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Failure(Exception):
    """A step failed before any result could mean anything; the message says which."""


# The app, as production runs it --------------------------------------------------------


def production_env(**more: str) -> dict[str, str]:
    """DEBUG off, as in production, but over plain HTTP at 127.0.0.1 (no HTTPS redirect, no
    secure-only cookies, no HSTS), with a fresh secret key: the variables to set, plus `more`."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    } | more


def manage(*args: str, env: dict | None = None, timeout: float | None = None) -> str:
    """Run `manage.py args` with this Python (the virtualenv's); return what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log: Path, options: list[str], env: dict | None = None):
    """gunicorn serving hipapp.wsgi on 127.0.0.1:port with `options`; its messages and
    Django's logs go to `log`. It runs in a session of its own, so a Ctrl-C reaches only the
    script, which stops the server on its way out."""
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hipapp.wsgi", f"--bind={HOST}:{port}"]
            + ["--no-control-socket", *options],  # several servers would share its one path
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server.log = log
    return server


def wait_until_serving(server, port: int, seconds: float = 30):
    """Until /healthz answers 200; a Failure, with the end of the log, if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Failure(f"gunicorn on port {port} exited ({server.returncode}){log_end(server)}")
        try:
            if Browser(port).request("GET", "/healthz", timeout=2).status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise Failure(
        f"gunicorn on port {port} did not answer /healthz in {seconds} s{log_end(server)}"
    )


def log_end(server, lines: int = 20) -> str:
    try:
        text = server.log.read_text()
    except OSError:
        return ""
    return f"; its log ({server.log}) ends with:\n" + "\n".join(text.splitlines()[-lines:])


def stop(server):
    """Stop a server (gracefully, then not) and wait for it to be gone."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# A small browser ----------------------------------------------------------------------


@dataclass
class Response:
    status: int | str  # an HTTP status (loadtest.py also notes "timeout", "refused", "dropped")
    location: str = ""
    text: str = ""

    def redirects_to(self, path: str) -> bool:
        return self.status == 302 and self.location == path


class Browser:
    """Just enough of a browser: it keeps cookies and does not follow redirects."""

    def __init__(self, port: int | None = None, cookies: dict | None = None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def request(self, method, path, form=None, *, port=None, timeout=30.0) -> Response:
        """One request on a new connection. Errors on the way (refused, timed out, dropped)
        are raised as OSError or http.client.HTTPException."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, port or self.port, timeout=timeout)
        try:
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, answer.getheader("Location", ""), text)

    def keep_cookies(self, headers):
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def sign_in(self, email, password, **options) -> Response:
        """The sign-in form, filled in and posted; the post's response (a 302 when signed in),
        or the form page's when it has no CSRF token. `options` go to every request."""
        page = self.request("GET", LOGIN, **options)
        found = CSRF_FIELD.search(page.text)
        if page.status != 200 or not found:
            return page
        form = {"csrfmiddlewaretoken": found[1], "username": email, "password": password}
        return self.request("POST", LOGIN, form, **options)


class FormFields(HTMLParser):
    """What a browser would submit from the form with a given id, with its current values:
    no unchecked boxes, no buttons, nothing disabled, nothing inside a <template>."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields = []
        self.in_form = False
        self.templates = 0  # <template> content is not part of the form
        self.select = None  # [name, first value, selected value]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        if tag == "template":
            self.templates += 1
        if self.templates or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.fields.append((name, attrs.get("value") or default))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.select[1] is None:
                self.select[1] = value
            if "selected" in attrs:  # the last selected one wins, as in a browser
                self.select[2] = value
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template" and self.templates:
            self.templates -= 1
        elif tag == "select" and self.select:
            # A browser sends the selected option, or else the first one.
            name, first, chosen = self.select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Like a browser, drop the newline that may follow <textarea>.
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """(name, value) pairs, in page order, of what <form id=form_id> would submit."""
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields
