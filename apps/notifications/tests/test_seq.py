"""Per-user notification numbers: no holes, commit order, and existing rows numbered by the migration."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from apps.notifications import services
from apps.notifications.models import Notification, NotificationSequence
from apps.notifications.rules import Planned


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_number_one_users_notifications_in_commit_order(user):
    writers = 8
    barrier = threading.Barrier(writers)
    committed: list[int] = []  # seqs in the order their transactions committed

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                plan = Planned(user.pk, Notification.Kind.TASK_ASSIGNED, f"note {n}")
                [notification] = services.notifications_create(planned=[plan], task=None, actor=None)
                time.sleep(0.05)  # hold the number a while: the others must wait, not overtake
                transaction.on_commit(lambda: committed.append(notification.seq))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert committed == list(range(1, writers + 1))
    assert NotificationSequence.objects.get(user=user).last_seq == writers


@pytest.mark.django_db
def test_several_notifications_for_one_user_in_one_transaction_take_consecutive_numbers(user, other_user):
    plans = [
        Planned(user.pk, Notification.Kind.TASK_ASSIGNED, "a"),
        Planned(other_user.pk, Notification.Kind.TASK_ASSIGNED, "b"),
        Planned(user.pk, Notification.Kind.TASK_STATUS_CHANGED, "c"),
    ]
    with transaction.atomic():
        services.notifications_create(planned=plans, task=None, actor=None)
    stored = Notification.objects.order_by("recipient_id", "seq").values_list("recipient_id", "seq", "message")
    assert list(stored) == [(user.pk, 1, "a"), (user.pk, 2, "c"), (other_user.pk, 1, "b")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_existing_notifications_per_recipient_in_id_order():
    # Users as they were then too: later account fields (NOT NULL, no database default) are not in that state.
    before = [("notifications", "0002_email_delivery_and_reminders"), ("accounts", "0001_initial")]
    after = [("notifications", "0003_notification_seq")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User, OldNotification = old.get_model("accounts", "User"), old.get_model("notifications", "Notification")
    alice, bob = User.objects.create(username="alice"), User.objects.create(username="bob")
    for recipient in (alice, bob, alice, alice, bob):
        OldNotification.objects.create(recipient=recipient, kind="task_assigned", message="m")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = new.get_model("notifications", "Notification").objects.order_by("id").values_list("recipient_id", "seq")
    assert list(rows) == [(alice.pk, 1), (bob.pk, 1), (alice.pk, 2), (alice.pk, 3), (bob.pk, 2)]
    counters = new.get_model("notifications", "NotificationSequence").objects.values_list("user_id", "last_seq")
    assert sorted(counters) == sorted([(alice.pk, 3), (bob.pk, 2)])

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
