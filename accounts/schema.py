"""OpenAPI description of our authentication for drf-spectacular."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class StoreJWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.StoreJWTAuthentication"
    name = "BearerJWT"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
