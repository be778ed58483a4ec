from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The database cache's table (settings.CACHES); nothing to do when Redis is the cache."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("progress", "0003_session_user_day_index")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
