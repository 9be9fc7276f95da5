#!/usr/bin/env python3
"""The scheduler scripts of a sharded sweep (deploy/sharded, called by the Slurm
job array and the Kubernetes Indexed Job): parts run as Slurm array tasks
(SLURM_ARRAY_TASK_ID/COUNT) and as Indexed Job pods (JOB_COMPLETION_INDEX), then
the merge; the merged report equals a single-machine sweep of the same corpus.
Also: parts on their own indexes reading revocation from CREDSWEEP_STATUS_DB,
and deploy/kubernetes/run-sweep's order and exit status against a kubectl
stand-in. Slurm and Kubernetes themselves are not run here (scripts/sweep-on-slurm
is the demonstration on a real one-node Slurm; no cluster is reachable for
Kubernetes)."""
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

        status_db(args, work, base, deploy, whole)
        run_sweep(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        return 1
    print("sharded sweep scripts: ok")
    return 0


def status_db(args, work, base, deploy, whole):
    """Parts on indexes of their own read revocation from CREDSWEEP_STATUS_DB."""
    diff = [json.loads(line) for line in open(os.path.join(work, "single-report", "diff.jsonl"))]
    revoked = next(d["key"] for d in diff if d["after"]["verified"])
    registrar = os.path.join(work, "registrar")
    check(run([args.binary, "init", "--db", registrar]).returncode == 0, "init registrar")
    r = run([args.binary, "revoke", revoked, "--register", "--reason", "withdrawn", "--db", registrar])
    check(r.returncode == 0, "revoke: " + r.stderr)
    env = dict(base, CREDSWEEP_WORK=os.path.join(work, "shared2"), CREDSWEEP_STATUS_DB=registrar,
               CREDSWEEP_PARTS="2")
    for k in (1, 2):
        p = run([os.path.join(deploy, "credsweep-sweep-part")], dict(env, CREDSWEEP_PART=str(k)))
        check(p.returncode == 0, "part %d with CREDSWEEP_STATUS_DB: %s" % (k, p.stderr))
    report = os.path.join(work, "status-db-report")
    m = run([os.path.join(deploy, "credsweep-sweep-merge")], dict(env, CREDSWEEP_REPORT=report))
    check(m.returncode == 1, "merge: %d %s" % (m.returncode, m.stderr))
    failures = open(os.path.join(report, "failures.csv")).read() if m.returncode == 1 else ""
    check(revoked + "," in failures and ",revocation,revoked," in failures,
          "the credential revoked in the registrar's index fails revocation in the merged run")
    p = run([os.path.join(deploy, "credsweep-sweep-part")],
            dict(env, CREDSWEEP_PART="1", CREDSWEEP_STATUS_DB=os.path.join(work, "nowhere")))
    check(p.returncode == 2 and "--status-db" in p.stderr, "a missing status index is exit 2: " + p.stderr)


FAKE_KUBECTL = """#!/bin/sh
# kubectl as run-sweep calls it: records each call; Job states and the merge
# pod's exit code come from the environment.
echo "$*" >> "$FAKE_LOG"
case "$*" in
  *"apply -f -"*) cat > "$FAKE_DIR/applied-parts.yaml" ;;
  *"get job credsweep-sweep-parts"*) printf '%s' "$PARTS_STATE" ;;
  *"get job credsweep-sweep-merge"*) printf '%s' "$MERGE_STATE" ;;
  *"get pods"*) printf '%s' "$MERGE_EXIT"; [ "$MERGE_EXIT" != broken ] || exit 1 ;;
esac
exit 0
"""


def run_sweep(args, work):
    """deploy/kubernetes/run-sweep against a kubectl stand-in (no cluster here):
    N filled in everywhere, the merge only after the parts completed, and the
    merge's exit status passed on."""
    fake = os.path.join(work, "fake-bin")
    os.makedirs(fake)
    with open(os.path.join(fake, "kubectl"), "w") as f:
        f.write(FAKE_KUBECTL)
    os.chmod(os.path.join(fake, "kubectl"), 0o755)
    script = os.path.join(args.source_dir, "deploy", "kubernetes", "run-sweep")

    def attempt(parts_state, merge_state, merge_exit, extra=()):
        log = os.path.join(work, "kubectl.log")
        if os.path.exists(log):
            os.remove(log)
        env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"], FAKE_LOG=log, FAKE_DIR=work,
                   PARTS_STATE=parts_state, MERGE_STATE=merge_state, MERGE_EXIT=merge_exit)
        r = run([script] + list(extra) + ["--namespace", "audit"], env)
        calls = open(log).read().splitlines() if os.path.exists(log) else []
        return r, calls

    r, calls = attempt("Complete", "Failed", "1", ["-p", "3"])
    check(r.returncode == 1, "run-sweep passes on the merge's exit 1: %d %s" % (r.returncode, r.stderr))
    manifest = open(os.path.join(work, "applied-parts.yaml")).read()
    check("completions: 3\n" in manifest and "parallelism: 3\n" in manifest and 'CREDSWEEP_PARTS: "3"' in manifest,
          "-p 3 is the Job's completions, parallelism and CREDSWEEP_PARTS")
    check("RUN_SWEEP" not in manifest, "every placeholder filled in")
    check(all(c.startswith("--namespace audit ") for c in calls), "kubectl options on every call: %r" % calls)
    merge_at = [i for i, c in enumerate(calls) if "credsweep-sweep-merge.yaml" in c]
    parts_done = [i for i, c in enumerate(calls) if "get job credsweep-sweep-parts" in c]
    check(merge_at and parts_done and merge_at[0] > parts_done[-1], "the merge is applied after the parts: %r" % calls)

    r, calls = attempt("Complete", "Complete", "0")
    check(r.returncode == 0, "a merge with nothing new: exit 0: " + r.stderr)
    r, calls = attempt("Failed", "", "")
    check(r.returncode == 3 and "Failed" in r.stderr, "a failed part: exit 3: " + r.stderr)
    check(not any("merge.yaml" in c for c in calls), "no merge after a failed part")
    r, calls = attempt("", "", "", ["-t", "0"])
    check(r.returncode == 3 and "Timeout" in r.stderr, "parts not done in time: exit 3: " + r.stderr)
    r, calls = attempt("Complete", "Failed", "2")
    check(r.returncode == 2, "a refused merge: exit 2")
    r, calls = attempt("Complete", "Failed", "broken")
    check(r.returncode == 3 and "kubectl get pods failed" in r.stderr, "a failing kubectl is exit 3: " + r.stderr)
    r, calls = attempt("Complete", "Complete", "0", ["-p", "x"])
    check(r.returncode == 2 and not calls, "a bad -p is refused before kubectl runs")
    r, calls = attempt("Complete", "Complete", "0", ["-p", "2", "-n", "audit"])
    check(r.returncode == 0 and all(c.startswith("-n audit ") for c in calls),
          "kubectl's own -n (namespace) passes through: %r" % calls)


if __name__ == "__main__":
    sys.exit(main())
