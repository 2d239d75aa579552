#!/usr/bin/env python3
"""Planted cases found per screening rule: an exception-list CSV export against the generator's truth.csv.

    bench/planted-recall.py EXPORT.csv TRUTH.csv

EXPORT.csv is a run's `exports/<run>/exceptions-<run>.csv` (only open findings are exported); TRUTH.csv is
`data/truth.csv` of the generated data. Per rule it prints the planted cases (`expected=flag`) found, the traps
(`expected=no_flag`) flagged, and the findings on subjects that no truth row mentions (for rules without an alert
budget these are false leads or natural look-alikes in the generated population, e.g. two people sharing a
common name and birth date). A subject matches on rule id, subject type and subject id.
"""
import csv
import sys
from collections import defaultdict


def main(export_path, truth_path):
    planted = defaultdict(set)
    traps = defaultdict(set)
    described = {}
    with open(truth_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["kind"] != "screening":
                continue
            key = (row["subject_type"], row["subject_id"])
            (planted if row["expected"] == "flag" else traps)[row["rule_id"]].add(key)
            described[(row["rule_id"],) + key] = row["case_id"] + " " + row["description"]
    found = defaultdict(set)
    with open(export_path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            found[row["rule_id"]].add((row["subject_type"], row["subject_id"]))
    rules = sorted(set(planted) | set(traps) | set(found))
    print(f"{'rule':30} {'planted found':>15} {'traps flagged':>14} {'other findings':>15}")
    for rule in rules:
        p, t, f = planted[rule], traps[rule], found[rule]
        other = len(f - p - t)
        print(f"{rule:30} {len(p & f):>7,} of {len(p):<5,} {len(t & f):>5,} of {len(t):<5,} {other:>15,}")
    # the cases behind any shortfall, in the truth file's words (at most 10 per rule)
    for rule in rules:
        p, t, f = planted[rule], traps[rule], found[rule]
        for label, keys in (("planted, not found", sorted(p - f)), ("trap, flagged", sorted(t & f))):
            for key in keys[:10]:
                print(f"  {rule}: {label}: {described[(rule,) + key]}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
