from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.notifications.models import Notification


class SignupForm(forms.Form):
    """The browser's sign-up: the same rules as POST /api/auth/register/, and the user is made by the service."""

    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # In canonical form like the API's sign-up: "Alice", "alice" and "\uff21lice" would be one person to a reader.
        if services.username_taken(username):
            raise ValidationError(services.USERNAME_TAKEN)
        return username

    # No check of the email: a taken address gets the same answer as a new one (the service emails its owner).

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1 and "username" in cleaned and "email" in cleaned:
            candidate = get_user_model()(username=cleaned["username"], email=cleaned["email"])
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self) -> bool:
        """Sign up through the accounts service (as the API does); a lost race on the name becomes a form error.
        True when the request went through, whether or not the address already had an account."""
        try:
            services.user_register(
                username=self.cleaned_data["username"],
                email=self.cleaned_data["email"],
                password=self.cleaned_data["password1"],
            )
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="New email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class EmailPreferencesForm(forms.Form):
    """One checkbox per notification kind: email it or not."""

    def __init__(self, *args, choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=choices.get(kind, True))

    def choices(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in Notification.Kind.values}
