"""Per-recipient notification numbers (`seq`) and the counter that hands them out; existing rows are numbered in id
order, and each counter starts after its user's last number."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_existing(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    NotificationSequence = apps.get_model("notifications", "NotificationSequence")
    last: dict[int, int] = {}
    for pk, recipient_id in Notification.objects.order_by("recipient_id", "id").values_list("pk", "recipient_id"):
        last[recipient_id] = last.get(recipient_id, 0) + 1
        Notification.objects.filter(pk=pk).update(seq=last[recipient_id])
    NotificationSequence.objects.bulk_create(
        NotificationSequence(user_id=user_id, last_seq=seq) for user_id, seq in last.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_email_delivery_and_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationSequence",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="notification",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(fields=("recipient", "seq"), name="notif_recipient_seq_unique"),
        ),
    ]
