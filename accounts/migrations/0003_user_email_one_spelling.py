"""Store every email address in its one spelling (accounts.models.normalize_email).

Sign-in now looks addresses up exactly, so an address saved before in another spelling
(full-width letters, a German ß) is rewritten. If the new spelling already belongs to another
account, both are left as they are for staff to sort out.
"""

import unicodedata

from django.db import migrations


def one_spelling(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk, email in User.objects.values_list("pk", "email"):
        spelling = unicodedata.normalize("NFKC", email).casefold().strip()
        if spelling != email and not User.objects.filter(email=spelling).exists():
            User.objects.filter(pk=pk).update(email=spelling)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_revision")]

    operations = [migrations.RunPython(one_spelling, migrations.RunPython.noop)]
