from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        TASK_ASSIGNED = "task_assigned", "Task assigned"
        TASK_STATUS_CHANGED = "task_status_changed", "Task status changed"
        DEADLINE_APPROACHING = "deadline_approaching", "Deadline approaching"
        COMMENT_ADDED = "comment_added", "Comment added"
        MENTIONED = "mentioned", "Mentioned"

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # 1, 2, 3... per recipient with no holes, in commit order (allocated from NotificationSequence under its row lock):
    # a client holding the highest contiguous seq it has seen detects a gap and resumes after it.
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The task's title when the notification was made: what the recipient saw then, never what the task is called
    # now (a member who left the project must not read later titles through old notifications).
    task_title = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"  # claimed by a worker; a stale claim (crashed worker) may be taken over
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_due_at = models.DateTimeField(null=True, blank=True, help_text="Not sent before this (the grace period).")
    email_enqueued_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    # The job (Dramatiq message id) holding the claim: the same job delivered again may take its own claim over.
    email_claim_token = models.CharField(max_length=64, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Also the index of resume ("after seq N") and of the inbox's newest-first pages.
            models.UniqueConstraint(fields=["recipient", "seq"], name="notif_recipient_seq_unique"),
        ]
        indexes = [
            # The older resume form ("after id N") reads one recipient's rows by id.
            models.Index(fields=["recipient", "id"], name="notif_recipient_id_idx"),
            models.Index(
                fields=["recipient"], name="notif_recipient_unread_idx", condition=models.Q(read_at__isnull=True)
            ),
            # The sweeper looks only at emails still waiting, and at stale claims.
            models.Index(
                fields=["email_due_at"],
                name="notif_email_waiting_idx",
                condition=models.Q(email_status__in=["pending", "sending"]),
            ),
            models.Index(
                fields=["email_claimed_at"], name="notif_email_claimed_idx", condition=models.Q(email_status="sending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.message}"


class NotificationSequence(models.Model):
    """The last `seq` handed out per user. Its row lock orders one user's notifications: a transaction that takes the
    next number holds the row until it commits, so the next one waits and commits after it (seq order = commit order).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"user {self.user_id} at seq {self.last_seq}"


def default_email_choices() -> dict[str, bool]:
    return dict.fromkeys(Notification.Kind.values, True)


class NotificationPreference(models.Model):
    """A user's email choices per notification kind; a user without a row gets every kind by email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email = models.JSONField(default=default_email_choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def wants_email(self, kind: str) -> bool:
        return bool(self.email.get(kind, True))


class DeadlineReminder(models.Model):
    """One row per task and deadline that was reminded: the claim that makes the reminder happen exactly once.

    Inserting it is atomic under the unique constraint, so concurrent scans cannot both remind; a new `due_at` has no
    row yet, which re-arms the reminder.
    """

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    notification = models.ForeignKey(Notification, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "due_at"], name="notif_deadline_reminder_once")]

    def __str__(self) -> str:
        return f"reminder for task {self.task_id} due {self.due_at:%Y-%m-%d %H:%M}"
