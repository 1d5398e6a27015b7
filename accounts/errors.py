"""Error codes of the accounts app (STORE_API.md §1.1-1.3, §4)."""

from storeapi.errors import ApiError


class AuthenticationFailed(ApiError):
    status_code = 401
    code = "authentication_failed"
    default_message = "Invalid email or password"


class InvalidProvider(ApiError):
    status_code = 400
    code = "invalid_provider"
    default_message = "Unsupported authentication provider"


class InvalidRefreshToken(ApiError):
    status_code = 401
    code = "invalid_refresh_token"
    default_message = "Invalid or expired refresh token"


class CurrentPasswordInvalid(ApiError):
    status_code = 422
    code = "current_password_invalid"
    default_message = "Current password is invalid or missing"


class PasswordResetTokenInvalid(ApiError):
    status_code = 422
    code = "password_reset_token_invalid"
    default_message = "Password reset token is invalid or has expired."
