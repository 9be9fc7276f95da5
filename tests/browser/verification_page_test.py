#!/usr/bin/env python3
"""The verification page (`serve --http`, GET /) in a real headless Chromium.

A person drops a folder of applicants' credentials onto the page served by a
running `credsweep serve --http`: the test asserts what they see (one row per
credential, each verdict's words, the groups, the failure filter), what they
download (the CSV, read back with Python's csv module, and the HTML report), that
credential text is never run as markup, that the page is usable by keyboard and
on a phone's width, and that what the page says matches `credsweep verify` on the
same files. Then a 200-credential drop, and a screenshot of it.

Usage: verification_page_test.py --credsweep BIN --work DIR [--screenshot PNG]
Exit 0 on success, 1 on a failed check, 77 when chromium is not installed.
"""
import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAILED: " + what, file=sys.stderr)


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Server:
    def __init__(self, credsweep, sample, log_path, extra):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [credsweep, "serve", "--db", sample + "/index", "--resp", "127.0.0.1:0", "--http", "127.0.0.1:0",
             "--jwks", sample + "/keys/jwks.json", "--trust", sample + "/trust-registry.json",
             "--status-lists", sample + "/status-lists"] + extra,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        self.port = None
        while self.port is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start: " + open(log_path).read())
            m = re.search(r"HTTP on 127\.0\.0\.1:(\d+)", open(log_path).read())
            if m:
                self.port = int(m.group(1))
            time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


INJECTED = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "https://attacker.example/issuer",
    "name": "<script>document.body.setAttribute('data-injected','1')</script>",
    "credentialSubject": {"name": "Eve <img src=x onerror=\"document.body.setAttribute('data-injected','2')\">"},
}


def build_applicants(root, corpus_lines, results):
    """applicants/{ana,bob,carol,dave}: sealed credentials from the sample chosen
    by what the command line found, plus a broken file, an injection, a file too
    large for the server and a file that is not a credential."""
    def first(pred):
        for line, r in zip(corpus_lines, results):
            if pred(r):
                return line
        raise RuntimeError("the sample has no such credential")

    code = lambda r, c: r["checks"][c]["code"]  # noqa: E731
    valid = [line for line, r in zip(corpus_lines, results) if r["verified"]]
    revoked = first(lambda r: code(r, "revocation") == "revoked")
    expired = first(lambda r: code(r, "validity") == "expired" and code(r, "seal") == "ok")
    forged = first(lambda r: code(r, "seal") == "key_not_authorized_for_issuer")
    tampered = first(lambda r: code(r, "seal") == "signature_invalid")
    # A JSON array: each element is a record, sent as written (a duplicate member
    # must reach the server as it does from the command line).
    sealed_object = next(line for line, r in zip(corpus_lines, results) if r["verified"] and line.startswith("{"))
    files = {
        "carol/array.json": "[\n  " + sealed_object + ",\n  " + '{"@context":["https://www.w3.org/ns/credentials/v2"],'
                            '"type":["VerifiableCredential"],"issuer":"https://a.example","issuer":"https://b.example",'
                            '"credentialSubject":{}}' + "\n]\n",
        "ana/degree.json": valid[0] + "\n",
        "ana/course.json": revoked + "\n",
        "bob/micro.json": expired + "\n",
        "carol/tampered.json": tampered + "\n",
        "carol/notes.json": '{"this is": not JSON\n',
        "carol/photo.png": "\x89PNG not a credential",
        "carol/injected.json": json.dumps(INJECTED, indent=2) + "\n",
        "dave/big.json": json.dumps(dict(INJECTED, name="big", padding="x" * 200000)) + "\n",
    }
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    # An SD-JWT VC from a wallet (the SD-JWT VC draft's example 01), its issuer not
    # among the server's keys: a row like any other, named PATH:LINE.
    vector = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "sd-jwt", "sd-jwt-vc", "01",
                          "sd_jwt_presentation.txt")
    with open(os.path.join(root, "dave/pid.sd-jwt"), "w") as f:
        f.write(re.sub(r"\s+", "", open(vector).read()) + "\n")
    # A vp+jwt presentation from the W3C vc-jose-cose suite: a row for the
    # presentation, then one per credential it envelopes (PATH:1#K).
    vp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "vc-jose-cose", "upstream",
                      "presentation-jose-multiple.jwt")
    with open(os.path.join(root, "dave/wallet.jwt"), "w") as f:
        f.write(open(vp).read().strip() + "\n")
    with gzip.open(os.path.join(root, "bob/more.jsonl.gz"), "wt") as f:
        f.write(valid[1] + "\n\n" + forged + "\n")


def cli_results(credsweep, sample, inputs, extra=()):
    r = run([credsweep, "verify", *inputs, "--jwks", sample + "/keys/jwks.json", "--trust",
             sample + "/trust-registry.json", "--db", sample + "/index", "--status-lists", sample + "/status-lists",
             "--format", "jsonl", "-q", *extra])
    if r.returncode not in (0, 1):
        raise RuntimeError("credsweep verify failed: " + r.stderr)
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


ROWS_JS = """Array.from(document.querySelectorAll('tr.credential'), tr => ({
  source: tr.querySelector('td.source').textContent,
  kind: tr.dataset.verdict,
  verdict: tr.querySelector('td.verdict').firstChild.textContent,
  checks: Array.from(tr.querySelectorAll('td.check'), td => [td.dataset.check, td.dataset.result || '',
                                                             td.textContent]),
}))"""


def wait_file(path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            time.sleep(0.2)  # the download is renamed into place when complete
            return open(path, encoding="utf-8").read()
        time.sleep(0.1)
    raise RuntimeError("no download " + path)


def drop(page, paths):
    """A real drag and drop of files or folders onto the drop zone."""
    x, y = page.evaluate("(() => { const r = document.getElementById('drop').getBoundingClientRect(); "
                         "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    data = {"items": [], "files": paths, "dragOperationsMask": 1}
    for kind in ("dragEnter", "dragOver", "drop"):
        page.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--credsweep", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    args.credsweep = os.path.abspath(args.credsweep)
    chromium = cdp.find_chromium()
    if not chromium:
        print("chromium is not installed (scripts/setup-deps installs it): skipped")
        return 77
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sample = os.path.join(work, "sample")
    r = run([args.credsweep, "sample", "--count", "200", "--out", sample, "--seed", "3"])
    if r.returncode != 0:
        raise RuntimeError("sample: " + r.stderr)
    corpus = os.path.join(sample, "credentials", "part-00001.jsonl")
    corpus_lines = [line for line in open(corpus).read().splitlines() if line.strip()]
    corpus_results = cli_results(args.credsweep, sample, [corpus])
    applicants = os.path.join(work, "applicants")
    build_applicants(applicants, corpus_lines, corpus_results)
    # What the command line says of the same files, with the server's record limit.
    os.chdir(work)
    expected = {r["source"]: r for r in cli_results(args.credsweep, sample, ["applicants"],
                                                     ["--max-record-bytes", "131072"])}

    server = Server(args.credsweep, sample, os.path.join(work, "serve.log"), ["--max-record-bytes", "131072"])
    browser = cdp.Browser(chromium)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    try:
        browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        page = browser.page()
        page.navigate("http://127.0.0.1:%d/" % server.port)
        page.wait_for("document.body && document.body.dataset.state === 'ready'")
        policy = page.evaluate("document.getElementById('policy-summary').textContent")
        check("trusted-issuer registry" in policy and "revocation" in policy, "the page names the policy: " + policy)
        check("Nothing you drop here is stored" in page.evaluate("document.body.innerText"),
              "the page says nothing is stored")

        # A folder of four applicants, dropped.
        drop(page, [applicants])
        page.wait_for("document.body.dataset.state === 'done'", timeout=120)
        rows = page.evaluate(ROWS_JS)
        check(len(rows) == len(expected), "one row per credential: %d rows, %d results from the CLI"
              % (len(rows), len(expected)))
        seen = {row["source"]: row for row in rows}
        for source, want in expected.items():
            row = seen.get(source)
            check(row is not None, "a row for " + source)
            if not row:
                continue
            check((row["kind"] == "valid") == want["verified"],
                  "%s: page says %s (%s), the CLI verified=%s" % (source, row["kind"], row["verdict"], want["verified"]))
            for name, result, _ in row["checks"]:
                check(result == want["checks"][name]["result"],
                      "%s: %s is %s on the page, %s from the CLI" % (source, name, result,
                                                                   want["checks"][name]["result"]))
        verdicts = {row["source"]: row["verdict"] for row in rows}
        revoked_msg = expected["applicants/ana/course.json"]["checks"]["revocation"]["message"]
        m = re.search(r"revoked since (\d{4}-\d\d-\d\d)\S* \((.*?)\)", revoked_msg)
        check(m is not None, "the revocation message names date and reason: " + revoked_msg)
        if m:
            check(verdicts.get("applicants/ana/course.json") == "Revoked on %s: %s" % (m.group(1), m.group(2)),
                  "revoked verdict: %r" % verdicts.get("applicants/ana/course.json"))
        check(verdicts.get("applicants/ana/degree.json") == "Valid", "valid verdict")
        check(re.fullmatch(r"Expired on \d{4}-\d\d-\d\d", verdicts.get("applicants/bob/micro.json", "")) is not None,
              "expired verdict: %r" % verdicts.get("applicants/bob/micro.json"))
        check(verdicts.get("applicants/bob/more.jsonl.gz:3") == "Seal does not belong to the issuer named",
              "forged verdict: %r" % verdicts.get("applicants/bob/more.jsonl.gz:3"))
        check(verdicts.get("applicants/carol/tampered.json") ==
              "Altered or forged: the seal does not match the content", "tampered verdict")
        check(verdicts.get("applicants/carol/notes.json") == "Not a valid credential: not valid JSON",
              "broken file verdict: %r" % verdicts.get("applicants/carol/notes.json"))
        check(verdicts.get("applicants/carol/injected.json") == "Not sealed", "unsealed verdict")
        check(verdicts.get("applicants/carol/array.json#1") == "Valid", "an array element, sent as written")
        check(seen.get("applicants/carol/array.json#2", {}).get("checks", [[None, None, ""]])[0][2].find("Malformed") >= 0
              and expected["applicants/carol/array.json#2"]["checks"]["format"]["code"] == "duplicate_member",
              "a duplicate member reaches the server: %r" % seen.get("applicants/carol/array.json#2"))
        check(verdicts.get("applicants/dave/pid.sd-jwt:1") == "Seal cannot be checked: the issuer's key is unknown",
              "an SD-JWT VC whose issuer key the server does not bind: %r" % verdicts.get("applicants/dave/pid.sd-jwt:1"))
        check(verdicts.get("applicants/dave/wallet.jwt:1", "").startswith("Presentation not valid: "),
              "a presentation's own verdict: %r" % verdicts.get("applicants/dave/wallet.jwt:1"))
        check("applicants/dave/wallet.jwt:1#3" in verdicts and "applicants/dave/wallet.jwt:1#4" not in verdicts,
              "a row per enveloped credential: %r" % sorted(k for k in verdicts if "wallet" in k))
        check(verdicts.get("applicants/dave/big.json", "").startswith("Not a valid credential: too large"),
              "a record over the server's limit: %r" % verdicts.get("applicants/dave/big.json"))
        big_reason = page.evaluate("Array.from(document.querySelectorAll('tr.credential')).find(tr => "
                                   "tr.querySelector('td.source').textContent === 'applicants/dave/big.json')"
                                   ".querySelector('td.check[data-check=format]').title")
        check("larger than this server accepts (128 KiB per credential)" in big_reason,
              "the limit is said in words: %r" % big_reason)
        groups = page.evaluate("Array.from(document.querySelectorAll('section.group'), s => s.dataset.group)")
        check(groups == ["ana", "bob", "carol", "dave"], "grouped by applicant: %r" % groups)
        counts = page.evaluate("document.getElementById('counts').textContent")
        check("1 file skipped" in counts and "photo.png" in counts, "the skipped file is named: " + counts)
        check("1 presentation (the credentials in them counted above): 0 valid" in counts,
              "presentations are counted apart: " + counts)
        # Credential text is text: nothing injected ran or became an element.
        check(page.evaluate("document.body.hasAttribute('data-injected')") is False, "no injected script ran")
        check(page.evaluate("document.querySelectorAll('#tables img, #tables script').length") == 0,
              "no injected element")
        check("Eve <img src=x" in page.evaluate("document.getElementById('tables').innerText"),
              "the injected name is shown as text")
        # The reason of a check, on click.
        reason = page.evaluate("(() => { const d = document.querySelector('tr.credential[data-verdict=invalid] "
                               "td.check.fail details'); d.querySelector('summary').click(); return d.open && "
                               "d.querySelector('p').offsetHeight > 0 && d.querySelector('p').textContent; })()")
        check(bool(reason), "a failing check's reason opens on click")

        # The failure filter.
        failing = sum(1 for r in expected.values() if not r["verified"])
        page.evaluate("(() => { const c = document.getElementById('failures-only'); c.click(); })()")
        shown = page.evaluate(ROWS_JS)
        check(len(shown) == failing and all(r["kind"] != "valid" for r in shown),
              "failures only: %d rows shown, %d failing" % (len(shown), failing))

        # Downloads: the CSV (all results, whatever the filter) and the report.
        page.evaluate("document.getElementById('download-csv').click()")
        text = wait_file(os.path.join(downloads, "credsweep-results.csv"))
        table = list(csv.DictReader(io.StringIO(text, newline="")))
        check(len(table) == len(expected), "the CSV has a row per credential: %d" % len(table))
        for row in table:
            want = expected.get(row["source"])
            check(want is not None and row["verified"] == ("true" if want["verified"] else "false"),
                  "CSV verified for %s" % row["source"])
            if want:
                check(row["seal_code"] == want["checks"]["seal"]["code"], "CSV seal code for " + row["source"])
        check({row["group"] for row in table} == {"ana", "bob", "carol", "dave"}, "the CSV's group column")
        check(any(row["verdict"].startswith("Revoked on ") for row in table), "the CSV carries the verdict words")
        page.evaluate("document.getElementById('download-html').click()")
        report = wait_file(os.path.join(downloads, "credsweep-report.html"))
        check(report.count('<tr class="credential ') == len(expected), "the report has a row per credential")
        check("<script" not in report and "&lt;script&gt;" in report, "the report escapes credential text")

        # Keyboard: Tab reaches the file pickers, the filter and the downloads.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        reached = set()
        for _ in range(60):
            for kind in ("rawKeyDown", "keyUp"):
                page.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab",
                                                     "windowsVirtualKeyCode": 9})
            reached.add(page.evaluate("document.activeElement && document.activeElement.id"))
        for want in ("files", "folder", "failures-only", "sort-by", "download-csv", "download-html"):
            check(want in reached, "Tab reaches #" + want)
        unlabeled = page.evaluate("Array.from(document.querySelectorAll('input, select, textarea'))"
                                  ".filter(e => !e.labels || !e.labels.length).map(e => e.id)")
        check(unlabeled == [], "every control has a label: %r" % unlabeled)

        # A phone's width: nothing wider than the screen.
        page.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1,
                                                          "mobile": True})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        wide = page.evaluate("Array.from(document.querySelectorAll('body *')).filter(e => "
                             "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || "
                             "e.scrollWidth > e.clientWidth + 1)"
                             ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)")
        check(overflow <= 1, "readable on a phone: %d px wider than the screen (%r)" % (overflow, wide))
        page.send("Emulation.clearDeviceMetricsOverride")

        # 200 credentials at once, from the file picker.
        page.evaluate("document.getElementById('clear').click()")
        page.evaluate("document.getElementById('failures-only').click()")
        page.set_files("#files", [corpus])
        page.wait_for("document.body.dataset.state === 'done' && "
                      "document.querySelectorAll('tr.credential').length === 200", timeout=180)
        page.wait_for("document.body.dataset.state === 'done' && "
                      "!document.querySelector('tr.credential[data-verdict=pending]')", timeout=180)
        rows = page.evaluate(ROWS_JS)
        valid = sum(1 for r in rows if r["kind"] == "valid")
        want_valid = sum(1 for r in corpus_results if r["verified"])
        check(len(rows) == 200 and valid == want_valid,
              "200 credentials: %d rows, %d valid (the CLI: %d)" % (len(rows), valid, want_valid))
        if args.screenshot:
            page.evaluate("document.getElementById('sort-by').value = 'verdict'; "
                          "document.getElementById('sort-by').dispatchEvent(new Event('change'))")
            page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in the picture
            page.screenshot(args.screenshot, clip_height=1100)
    finally:
        browser.close()
        server.stop()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("verification page: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
