#!/usr/bin/env python3
"""Spark jobs of one application from its event log, in submission order, with their wall seconds.

    bench/spark-jobs.py EVENT_LOG_FILE [MIN_SECONDS=1.0]

EVENT_LOG_FILE is a Spark event log (plain JSON lines, or .zstd as Spark 4 writes them; needs the zstd tool), for
example the events_1_* file under the EVENT_LOG folder of bench/pipeline.sh. Prints job id, start (seconds after
the first job), duration, tasks and description for every job at least MIN_SECONDS long, then the total.
"""
import json
import subprocess
import sys


def lines(path):
    if path.endswith(".zstd") or path.endswith(".zst"):
        out = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        return out.decode("utf-8", "replace").splitlines()
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def main():
    starts, rows = {}, []
    for line in lines(sys.argv[1]):
        e = json.loads(line)
        ev = e.get("Event")
        if ev == "SparkListenerJobStart":
            p = e.get("Properties") or {}
            tasks = sum(s.get("Number of Tasks", 0) for s in e.get("Stage Infos", []))
            starts[e["Job ID"]] = (e["Submission Time"], p.get("spark.job.description") or p.get("callSite.short", ""), tasks)
        elif ev == "SparkListenerJobEnd" and e["Job ID"] in starts:
            t, desc, tasks = starts[e["Job ID"]]
            rows.append((e["Job ID"], t, (e["Completion Time"] - t) / 1000.0, tasks, desc[:70]))
    rows.sort(key=lambda r: r[1])
    t0 = rows[0][1] if rows else 0
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    for job, t, secs, tasks, desc in rows:
        if secs >= threshold:
            print("%5d %8.1f %7.1fs tasks=%5d %s" % (job, (t - t0) / 1000.0, secs, tasks, desc))
    print("total job seconds %.1f in %d jobs" % (sum(r[2] for r in rows), len(rows)))


if __name__ == "__main__":
    main()
