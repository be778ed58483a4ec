from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises import catalog
from exercises.models import Drill


class Command(BaseCommand):
    help = "Load the drill catalog from fixtures/catalog.json ; rows update by slug."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=catalog.CATALOG_PATH)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has drills."
        )

    def handle(self, *args, path, if_empty, **options):
        if if_empty and Drill.objects.exists():
            self.stdout.write("The catalog is already loaded; nothing to do.")
            return
        try:
            counts = catalog.load(catalog.read(path))
        except catalog.CatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalog loaded from {path}: {counts['created']} created, "
                f"{counts['updated']} updated."
            )
        )
