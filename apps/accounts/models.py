import unicodedata

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac


def canonical_username(username: str) -> str:
    """The form two usernames are compared in: NFKC, case-folded, NFKC again (case folding can denormalise).

    "Alice", "alice" and "\\uff21lice" (a fullwidth A) are one name to a reader, so they are one name here.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


class User(AbstractUser):
    """TaskFlow's user: Django's, swappable from the first migration so it can grow without a data migration."""

    # Kept equal to canonical_username(username) by save(); its unique index is what makes "Alice" and "\uff21lice"
    # one name, whichever edge (API, dashboard, admin, shell) creates the user.
    username_canonical = models.CharField(max_length=160, unique=True, editable=False)
    # Until the address is proven to reach its owner, no notification is emailed to it.
    email_verified = models.BooleanField(default=False)
    # A new address waiting for its verification link; `email` stays in use until then.
    pending_email = models.EmailField(max_length=254, blank=True)
    # Bumped by "sign out everywhere": part of the session hash, so every browser session ends with it.
    session_generation = models.PositiveIntegerField(default=0)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Two accounts may not share an address (case-insensitively); admin-made users may have none.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_ci_unique"
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.username = self.normalize_username(self.username)
        self.username_canonical = canonical_username(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_canonical"}
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        # Django's hash covers the password (a password change ends other sessions); the generation adds "sign out
        # everywhere" without a password change. Generation 0 keeps Django's own hash, so sessions made before this
        # field existed stay valid.
        if not self.session_generation:
            return super().get_session_auth_hash()
        return salted_hmac(
            "apps.accounts.models.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


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
