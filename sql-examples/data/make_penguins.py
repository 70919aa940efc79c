#!/usr/bin/python3
"""Derive penguins.csv (BigQuery ml_datasets.penguins layout) from palmerpenguins' penguins_raw.csv.

Usage: /usr/bin/python3 make_penguins.py [RAW_CSV] [OUT_CSV]
Defaults: the Debian r-cran-palmerpenguins copy of penguins_raw.csv, and penguins.csv next to this script.
"""
import csv
import os
import sys

DEFAULT_RAW = "/usr/lib/R/site-library/palmerpenguins/extdata/penguins_raw.csv"
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "penguins.csv")

# (output column, raw column) in BigQuery ml_datasets.penguins order
COLUMNS = [
    ("species", "Species"),
    ("island", "Island"),
    ("culmen_length_mm", "Culmen Length (mm)"),
    ("culmen_depth_mm", "Culmen Depth (mm)"),
    ("flipper_length_mm", "Flipper Length (mm)"),
    ("body_mass_g", "Body Mass (g)"),
    ("sex", "Sex"),
]
NUMERIC = {"culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g"}


def clean(name, value):
    value = value.strip()
    if value in ("", "NA"):
        return ""
    if name in NUMERIC:
        float(value)  # fail loudly on anything non-numeric
        return value
    if name == "sex":
        value = value.upper()
        return value if value in ("MALE", "FEMALE") else ""
    return value


def main(argv):
    raw = argv[1] if len(argv) > 1 else DEFAULT_RAW
    out = argv[2] if len(argv) > 2 else DEFAULT_OUT
    with open(raw, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [r for _, r in COLUMNS if r not in reader.fieldnames]
        if missing:
            sys.exit("raw CSV lacks columns: %s" % missing)
        rows = [[clean(o, rec[r]) for o, r in COLUMNS] for rec in reader]
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([o for o, _ in COLUMNS])
        w.writerows(rows)
    print("wrote %d rows to %s" % (len(rows), out))


if __name__ == "__main__":
    main(sys.argv)
