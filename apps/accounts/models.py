from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """TaskFlow's user: Django's, swappable from the first migration so it can grow without a data migration."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Two accounts may not share an address (case-insensitively); admin-made users may have none.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_ci_unique"
            ),
        ]


class RevokedTokenFamily(models.Model):
    """A refresh-token family that may no longer be used (OAuth 2.0 Security BCP, refresh token reuse).

    Every login starts a family; each rotation passes its id (the `fam` claim) to the new refresh token and the access
    tokens made from it. When an already-rotated refresh token comes back, someone holds a copy: the whole family is
    revoked, so neither the thief's nor the owner's latest token refreshes again, and the family's access tokens are
    refused at once. Logging out revokes the family too. A row may be deleted once JWT_REFRESH_TOKEN_LIFETIME has
    passed after `revoked_at`: no token of the family can still be unexpired by then.
    """

    class Reason(models.TextChoices):
        REUSE = "reuse", "rotated refresh token used again"
        LOGOUT = "logout", "logged out"

    family = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    revoked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"family {self.family} of user {self.user_id} ({self.reason})"
