#!/usr/bin/env python3
"""What `cmake --install` and `cpack` deliver (docs/operations.md): the binary, a man
page per command, bash completion that completes subcommands and options from the
binary, systemd units that systemd-analyze accepts, the docs; and a .deb holding the
same with its library dependencies. Each promise fails the test when broken."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="credsweep-install-")
    try:
        prefix = os.path.join(work, "usr")
        r = run(["cmake", "--install", args.build_dir, "--prefix", prefix])
        check(r.returncode == 0, "cmake --install: " + r.stderr)
        binary = os.path.join(prefix, "bin", "credsweep")
        check(os.access(binary, os.X_OK), "the binary is installed")
        r = run([binary, "--version"])
        check(r.stdout.startswith("credsweep "), "the installed binary runs: %r" % r.stdout)

        # A man page per command, from its own --help.
        man = os.path.join(prefix, "share", "man", "man1")
        pages = sorted(os.listdir(man)) if os.path.isdir(man) else []
        for page in ["credsweep.1", "credsweep-verify.1", "credsweep-sweep.1", "credsweep-serve.1",
                     "credsweep-lists-publish.1", "credsweep-trust-update.1"]:
            check(page in pages, "man page " + page + " (have: %s)" % ", ".join(pages))
        subcommands = [line.split()[0] for line in run([binary, "--help"]).stdout.split("Subcommands:")[1].splitlines()
                       if line.startswith("  ") and line.split()]
        for sub in subcommands:
            if sub != "help":
                check("credsweep-%s.1" % sub in pages, "a man page for every subcommand: " + sub)
        if "credsweep-verify.1" in pages:
            text = open(os.path.join(man, "credsweep-verify.1")).read()
            check(text.startswith(".\\\"") and ".SH OPTIONS" in text and "holder\\-binding" in text,
                  "the verify page is roff with its options")

        # Bash completion, asking the installed binary.
        completion = os.path.join(prefix, "share", "bash-completion", "completions", "credsweep")
        check(os.path.isfile(completion), "bash completion installed")
        script = """
source %s
credsweep() { %s "$@"; }
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _credsweep; echo "${COMPREPLY[*]}"; }
complete_words credsweep ve
complete_words credsweep verify --holder
complete_words credsweep lists pu
complete_words credsweep lists publish --form
""" % (completion, binary)
        r = run(["bash", "-c", script])
        lines = r.stdout.splitlines()
        check(lines == ["verify", "--holder-binding", "publish", "--format"],
              "completion of subcommands and options: %r %s" % (lines, r.stderr))

        # The sharded sweep's scheduler files, executable where the Slurm and
        # Kubernetes files look for them.
        deploy = os.path.join(prefix, "share", "credsweep", "deploy")
        for f in ["sharded/credsweep-sweep-part", "sharded/credsweep-sweep-merge", "slurm/submit-sweep",
                  "slurm/credsweep-sweep.sbatch", "kubernetes/run-sweep"]:
            check(os.access(os.path.join(deploy, f), os.X_OK), "installed and executable: deploy/" + f)
        for f in ["credsweep-sweep-parts.yaml", "credsweep-sweep-merge.yaml"]:
            check(os.path.isfile(os.path.join(deploy, "kubernetes", f)), "the Kubernetes manifest " + f)

        # systemd units: systemd-analyze accepts them (an unknown key or a bad value is
        # reported), with ExecStart pointed at the installed binary.
        units = os.path.join(prefix, "lib", "systemd", "system")
        names = ["credsweep-serve.service", "credsweep-sweep.service", "credsweep-sweep.timer"]
        for n in names:
            check(os.path.isfile(os.path.join(units, n)), "unit installed: " + n)
        analyze = shutil.which("systemd-analyze")
        check(analyze is not None, "systemd-analyze is installed (scripts/setup-deps)")
        if analyze:
            verify_dir = os.path.join(work, "units")
            os.makedirs(verify_dir)
            for n in names:
                text = open(os.path.join(units, n)).read().replace("/usr/bin/credsweep", binary)
                check("User=credsweep" in text or n.endswith(".timer"), n + " runs as its own user")
                check("NoNewPrivileges=yes" in text or n.endswith(".timer"), n + " is hardened")
                open(os.path.join(verify_dir, n), "w").write(text)
            r = run([analyze, "verify", "--man=no"] + [os.path.join(verify_dir, n) for n in names])
            check(r.returncode == 0 and r.stderr.strip() == "", "systemd-analyze verify: " + r.stderr)

        check(os.path.isfile(os.path.join(prefix, "share", "doc", "credsweep", "README.md")), "README installed")
        check(os.path.isfile(os.path.join(prefix, "share", "doc", "credsweep", "docs", "operations.md")),
              "docs installed")

        # The .deb.
        pkg = os.path.join(work, "pkg")
        r = run(["cpack", "--config", os.path.join(args.build_dir, "CPackConfig.cmake"), "-B", pkg])
        check(r.returncode == 0, "cpack: " + r.stdout[-2000:] + r.stderr[-2000:])
        debs = [f for f in os.listdir(pkg) if f.endswith(".deb")] if os.path.isdir(pkg) else []
        check(len(debs) == 1, "one .deb: %r" % debs)
        if debs:
            deb = os.path.join(pkg, debs[0])
            contents = run(["dpkg-deb", "-c", deb]).stdout
            for path in ["./usr/bin/credsweep", "./usr/share/man/man1/credsweep-verify.1",
                         "./usr/share/bash-completion/completions/credsweep", "./usr/lib/systemd/system/credsweep-serve.service",
                         "./usr/share/doc/credsweep/README.md"]:
                check(path in contents, "the .deb holds " + path)
            depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
            for lib in ["libssl3", "librocksdb", "libsodium", "libtbb"]:
                check(lib in depends, "the .deb depends on " + lib + ": " + depends)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("install, man pages, completion, units and package: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
