#!/usr/bin/env python3
"""Reads a CSV file with Python's csv module (RFC 4180 dialect, strict) and prints
its records as one JSON array of arrays of strings, so a C++ test can check what a
spreadsheet-grade reader makes of `credsweep verify --format csv`. Exit 0: read;
1: not valid CSV, not UTF-8, or records of unequal length (the reason on stderr);
2: usage."""
import csv
import json
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: csv_rows.py FILE", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, strict=True))
    except (csv.Error, UnicodeDecodeError) as e:
        print(e, file=sys.stderr)
        return 1
    if rows and any(len(r) != len(rows[0]) for r in rows):
        print("records of unequal length", file=sys.stderr)
        return 1
    json.dump(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
