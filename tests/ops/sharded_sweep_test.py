#!/usr/bin/env python3
"""The scheduler scripts of a sharded sweep (deploy/sharded, called by the Slurm
job array and the Kubernetes Indexed Job): parts run as Slurm array tasks
(SLURM_ARRAY_TASK_ID/COUNT) and as Indexed Job pods (JOB_COMPLETION_INDEX), then
the merge; the merged report equals a single-machine sweep of the same corpus.
Slurm and Kubernetes themselves are not run here (scripts/sweep-on-slurm is the
demonstration on a real one-node Slurm)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def run(args, env=None):
    return subprocess.run(args, capture_output=True, text=True, env=env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="credsweep-shards-")
    try:
        corpus = os.path.join(work, "corpus")
        r = run([args.binary, "sample", "--count", "120", "--out", corpus])
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        # Revocation from the published lists, as credsweep-sweep.service does.
        options = "--jwks %s/keys/jwks.json --trust %s/trust-registry.json --status-lists %s/status-lists" % (
            corpus, corpus, corpus)
        # Now: the sample's status lists are valid from the day before they were made.
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        base = dict(os.environ, CREDSWEEP=args.binary, CREDSWEEP_WORK=os.path.join(work, "shared"),
                    CREDSWEEP_CORPUS=os.path.join(corpus, "credentials"), CREDSWEEP_AT=at,
                    CREDSWEEP_SWEEP_OPTIONS=options)
        deploy = os.path.join(args.source_dir, "deploy", "sharded")

        # One machine, for comparison.
        single = os.path.join(work, "single")
        check(run([args.binary, "init", "--db", single]).returncode == 0, "init")
        whole = run([args.binary, "sweep", base["CREDSWEEP_CORPUS"], "--db", single, "--at", at, "-q",
                     "--report", os.path.join(work, "single-report")] + options.split())
        check(whole.returncode in (0, 1), "single sweep: " + whole.stderr)
        summary = json.load(open(os.path.join(work, "single-report", "summary.json")))
        check(summary["verified"] > 0 and summary["not_verified"] > 0,
              "the sample has credentials that verify and some that do not: %r" % summary["failures"])

        # Parts 1 and 2 of 3 as Slurm array tasks (part 2 resubmitted alone:
        # --array=2, a task count of 1), part 3 as an Indexed Job pod.
        for k in (1, 2):
            env = dict(base, SLURM_ARRAY_TASK_ID=str(k), SLURM_ARRAY_TASK_COUNT="3" if k == 1 else "1",
                       CREDSWEEP_PARTS="3")
            p = run([os.path.join(deploy, "credsweep-sweep-part")], env)
            check(p.returncode == 0, "slurm part %d: %s%s" % (k, p.stdout, p.stderr))
            check("part %d/3 swept" % k in p.stdout, "part %d says what it did: %r" % (k, p.stdout))
        env = dict(base, JOB_COMPLETION_INDEX="2", CREDSWEEP_PARTS="3")
        p = run([os.path.join(deploy, "credsweep-sweep-part")], env)
        check(p.returncode == 0, "indexed job part 3: " + p.stderr)
        check("part 3/3 swept" in p.stdout, "JOB_COMPLETION_INDEX 2 is part 3: %r" % p.stdout)

        merged_report = os.path.join(work, "merged-report")
        m = run([os.path.join(deploy, "credsweep-sweep-merge")],
                dict(base, CREDSWEEP_PARTS="3", CREDSWEEP_REPORT=merged_report))
        check(m.returncode == whole.returncode,
              "merge exits as the single sweep (%d vs %d): %s" % (m.returncode, whole.returncode, m.stderr))
        for f in ("diff.jsonl", "failures.csv"):
            a = open(os.path.join(work, "single-report", f)).read()
            b = open(os.path.join(merged_report, f)).read() if os.path.exists(os.path.join(merged_report, f)) else ""
            check(a != "", "the single sweep's %s is not empty" % f)
            check(a == b, "merged %s equals the single sweep's" % f)

        # A part missing: the merge refuses, exit 2.
        env = dict(base, CREDSWEEP_PART="1", CREDSWEEP_PARTS="2")
        check(run([os.path.join(deploy, "credsweep-sweep-part")], env).returncode == 0, "part 1/2")
        m = run([os.path.join(deploy, "credsweep-sweep-merge")], dict(base, CREDSWEEP_PARTS="2"))
        check(m.returncode == 2, "a missing part is exit 2: %d %s" % (m.returncode, m.stderr))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        return 1
    print("sharded sweep scripts: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
