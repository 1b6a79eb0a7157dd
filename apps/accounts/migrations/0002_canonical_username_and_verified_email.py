"""Canonical usernames (NFKC + casefold, unique) and verified email addresses.

Existing users count as verified, so their notification emails keep coming. Existing names that collide in canonical
form (possible before this migration: "Alice" beside "\\uff21lice") keep their usernames; the later account's canonical
form gets a "~<id>" suffix so the unique index can be built, and nobody can register a third such name.
"""

import unicodedata

from django.db import migrations, models


def canonical(username: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: set[str] = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        value = canonical(user.username)
        if value in seen:
            value = f"{value[:140]}~{user.pk}"
        seen.add(value)
        User.objects.filter(pk=user.pk).update(username_canonical=value, email_verified=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_canonical",
            field=models.CharField(default="", editable=False, max_length=160),
            preserve_default=False,
        ),
        migrations.AddField(model_name="user", name="email_verified", field=models.BooleanField(default=False)),
        migrations.AddField(
            model_name="user", name="pending_email", field=models.EmailField(blank=True, max_length=254)
        ),
        migrations.AddField(
            model_name="user", name="session_generation", field=models.PositiveIntegerField(default=0)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_canonical",
            field=models.CharField(editable=False, max_length=160, unique=True),
        ),
    ]
