#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft 2020-12) with an
independent validator (python3-jsonschema). Exit 0: valid; 1: invalid (the first
error on stderr); 2: usage. Used by the registry schema tests."""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) != 3:
        print("usage: check_json_schema.py SCHEMA DOCUMENT", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        print("/".join(str(p) for p in e.path) + ": " + e.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
