from argparse import ArgumentTypeError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from progress import demo

SERVER = "http://127.0.0.1:8000"  # where `make run` serves the app by default


def at_least(minimum):
    def parse(value):
        try:
            number = int(value)
        except ValueError:
            raise ArgumentTypeError(f"{value!r} is not a whole number.") from None
        if number < minimum:
            raise ArgumentTypeError(f"{number} is too small: use {minimum} or more.")
        return number

    return parse


class Command(BaseCommand):
    help = "Create a demo person with a realistic training history (and, if asked, a crowd)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--weeks", type=at_least(1), default=26, help="Weeks of history (default 26)."
        )
        parser.add_argument("--email", default=demo.DEMO_EMAIL)
        parser.add_argument("--password", default=demo.DEMO_PASSWORD)
        parser.add_argument(
            "--days-per-week",
            type=int,
            choices=range(1, 8),
            default=3,
            metavar="1-7",
            help="Training days a week (default 3); 7 is every drill every day, no breaks.",
        )
        parser.add_argument(
            "--crowd",
            type=at_least(0),
            default=0,
            help="Also create this many people (crowd-0001@hipapp.test...) with a few weeks each.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the person (and crowd people) with these emails first.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--site",
            default=SERVER,
            help=f"Where the app is served, for the sign-in hint ({SERVER}).",
        )
        parser.add_argument(
            "--if-debug",
            action="store_true",
            help="Do nothing unless DJANGO_DEBUG is on: `make run` uses this on local databases.",
        )

    def handle(self, *args, weeks, email, password, days_per_week, crowd, replace, seed, **opts):
        if opts["if_debug"] and not settings.DEBUG:
            return
        User = get_user_model()
        email = User.objects.normalize_email(email).strip().lower()
        if email in {demo.CROWD_EMAIL.format(n) for n in range(1, crowd + 1)}:
            raise CommandError(f"{email} is one of the crowd's addresses: choose another --email.")
        existing = User.objects.filter(email__iexact=email).first()
        if existing and not replace:
            self.stdout.write(
                f"{email} already exists, so nothing was changed. "
                "Add --replace to delete that person and build them again."
            )
            self.sign_in(opts["site"], email, password)
            return
        try:
            with transaction.atomic():
                if existing:
                    demo.remove_person(existing)
                user = demo.seed_person(email, password, weeks, days_per_week, seed=seed)
                made = 0
                if crowd:
                    made = demo.seed_crowd(crowd, seed=seed, password=password, replace=replace)
        except demo.EmptyCatalog as exc:
            raise CommandError(str(exc)) from exc
        span = f"{weeks} week{'' if weeks == 1 else 's'}"
        today = timezone.localdate(timezone=user.zone)
        counts = ", ".join(f"{number} {what}" for what, number in demo.counts(user).items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.email} ({user.name}): {span} of training up to "
                f"{today:%a %-d %b %Y} ({user.time_zone}), {counts}."
            )
        )
        if crowd:
            emails = f"{demo.CROWD_EMAIL.format(1)} to {demo.CROWD_EMAIL.format(crowd)}"
            kept = f"; {crowd - made} already existed and were kept" if made < crowd else ""
            self.stdout.write(f"Created {made} crowd people ({emails}{kept}), same password.")
        self.sign_in(opts["site"], user.email, password)

    def sign_in(self, site, email, password):
        login = reverse("accounts:login")
        self.stdout.write(f"Sign in at {site}{login} as {email} with password {password}")
