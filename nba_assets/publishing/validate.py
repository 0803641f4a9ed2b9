"""JSON Schema validation of every export before it is written.

Each schema is checked by jsonschema (Draft 2020-12) and compiled by fastjsonschema, which tells a
valid document in a fraction of the time (an odds screen of a full slate holds thousands of values);
a document the compiled check refuses is explained by jsonschema, every error with its path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import fastjsonschema
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def schema(name: str) -> dict:
    """`schemas/{name}.schema.json`, checked to be a valid Draft 2020-12 schema."""
    loaded = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(loaded)
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of `schemas/{name}.schema.json` that explains what is wrong."""
    return Draft202012Validator(schema(name))


@cache
def compiled(name: str) -> Callable[[dict], object]:
    """The fast check of `schemas/{name}.schema.json`: raises on the first error."""
    return fastjsonschema.compile(schema(name))


def schema_errors(name: str, document: dict) -> list[str]:
    """Every way `document` breaks its schema, as `path: message` lines (empty when valid)."""
    try:
        compiled(name)(document)
        return []
    except fastjsonschema.JsonSchemaException:
        errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]
