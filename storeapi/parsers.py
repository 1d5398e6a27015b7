import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StoreJSONParser(JSONParser):
    """JSON bodies only; an empty body is `{}` (the SDK sends `Content-Type` even without one)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if not raw or not raw.strip():
            return {}
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # deep nesting too
            raise ParseError("Malformed JSON in the request body.") from exc
        return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
