from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Passwords of at most `max_length` characters (argon2 would take any length; we cap it)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"is too long (maximum is {self.max_length} characters)",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Your password must contain at most {self.max_length} characters."
