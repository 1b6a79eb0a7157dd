"""The API's JSON parser: DRF's, with the inputs that used to escape it as 500s turned into 400s naming the problem."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """Refuses JSON nested too deeply for Python's parser (a RecursionError escaped DRF as a 500) and strings holding
    lone UTF-16 surrogates (`"\\ud800"`): they are not text, cannot be encoded to UTF-8 for a cache key, a database or
    an error message, so every later step would fail on them."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc
        try:
            # The C encoder walks the whole document once; a lone surrogate cannot be encoded to UTF-8.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError("JSON parse error - strings must be valid Unicode (lone surrogate escape).") from exc
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc
        return data
