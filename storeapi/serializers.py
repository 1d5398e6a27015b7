"""Base serializers for Store API input: Rails-style messages so `details` read as Spree's do."""

from django.core import validators as django_validators
from rest_framework import serializers

MESSAGES = {
    "required": "can't be blank",
    "blank": "can't be blank",
    "null": "can't be blank",
    "invalid": "is invalid",
    "max_length": "is too long (maximum is {max_length} characters)",
    "min_length": "is too short (minimum is {min_length} characters)",
    "max_value": "must be less than or equal to {max_value}",
    "min_value": "must be greater than or equal to {min_value}",
    "not_a_list": "must be a list",
    "not_a_dict": "must be an object",
    "invalid_choice": "is not included in the list",
    "max_string_length": "is too long",
}
TYPE_MESSAGES = {
    serializers.CharField: "must be a string",
    serializers.EmailField: "is invalid",
    serializers.BooleanField: "must be true or false",
    serializers.IntegerField: "must be an integer",
    serializers.DecimalField: "must be a number",
}


class InputSerializer(serializers.Serializer):
    """Input serializer whose field errors read like Rails' (`can't be blank`, `is invalid`)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            for key, message in MESSAGES.items():
                if key in field.error_messages:
                    field.error_messages[key] = message
            for field_type, message in TYPE_MESSAGES.items():
                if isinstance(field, field_type) and "invalid" in field.error_messages:
                    field.error_messages["invalid"] = message
            _use_rails_validator_messages(field)
        return fields


# DRF builds length and range validators with its own message when the field is created,
# before `get_fields` can swap the templates, so their messages are replaced here.
VALIDATOR_MESSAGES = {
    django_validators.MaxLengthValidator: ("max_length", "max_length"),
    django_validators.MinLengthValidator: ("min_length", "min_length"),
    django_validators.MaxValueValidator: ("max_value", "max_value"),
    django_validators.MinValueValidator: ("min_value", "min_value"),
}


def _use_rails_validator_messages(field: serializers.Field) -> None:
    for validator in field.validators:
        for validator_type, (message_key, param) in VALIDATOR_MESSAGES.items():
            if type(validator) is validator_type:
                template = MESSAGES[message_key]
                validator.message = template.format(**{param: validator.limit_value})


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of silently converting them."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """Booleans as JSON booleans (and the usual string spellings), never arbitrary values."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data.lower() in ("true", "false", "1", "0"):
            return data.lower() in ("true", "1")
        self.fail("invalid")
