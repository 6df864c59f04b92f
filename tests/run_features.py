#!/usr/bin/env python3
"""Feature-test runner: runs every test script in a folder through the
`tandem` shell and compares what it prints with the expected output.

A test is one of
  NAME.js   run as `tandem [ARGS] NAME.js`
  NAME.mjs  run as a module
  NAME.wat  compiled with wat2wasm to a temporary .wasm, run as `tandem [ARGS] NAME.wasm`
  NAME.sh   run with bash; $TANDEM names the shell binary, $TESTDIR the test folder
with expected output beside it:
  NAME.out  expected stdout (required)
  NAME.err  expected stderr (optional; stderr is ignored without it)
Directives in the first lines of the test, as comments (`//`, `;;` or `#`):
  args: ...     extra arguments put before the file name
  exit: N       expected exit status (default 0)
  env: K=V ...  extra environment variables
  needs: TOOL   skip the test when TOOL is not on PATH
Paths in output are shown relative to the test folder, so expected files do
not depend on where the checkout lives. `--update` rewrites the .out/.err
files from the current output (check the diff before committing).
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

EXTS = (".js", ".mjs", ".wat", ".sh")
DIRECTIVE = re.compile(r"^\s*(?://|;;|#)\s*(args|exit|env|needs):\s*(.*?)\s*$")


def directives(path):
    found = {"args": [], "exit": 0, "env": {}, "needs": []}
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            if i > 20:
                break
            m = DIRECTIVE.match(line)
            if not m:
                continue
            key, val = m.groups()
            if key == "args":
                found["args"] += shlex.split(val)
            elif key == "exit":
                found["exit"] = int(val)
            elif key == "env":
                for kv in shlex.split(val):
                    k, _, v = kv.partition("=")
                    found["env"][k] = v
            elif key == "needs":
                found["needs"] += val.split()
    return found


def run_one(tandem, path, tmp, timeout):
    d = directives(path)
    for tool in d["needs"]:
        if not shutil.which(tool):
            return "skip", f"needs {tool}"
    folder = os.path.dirname(path)
    base = os.path.basename(path)
    env = dict(os.environ, TANDEM=tandem, TESTDIR=folder, NO_COLOR="1")
    env.update(d["env"])
    if path.endswith(".sh"):
        cmd = ["bash", base]
    elif path.endswith(".wat"):
        wasm = os.path.join(tmp, base[:-4] + ".wasm")
        r = subprocess.run(["wat2wasm", "--enable-all", path, "-o", wasm],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return "fail", "wat2wasm failed:\n" + r.stderr
        cmd = [tandem] + d["args"] + [wasm]
    else:
        cmd = [tandem] + d["args"] + [base]
    try:
        r = subprocess.run(cmd, cwd=folder, env=env, capture_output=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "fail", f"timed out after {timeout}s"
    out = r.stdout.decode("utf-8", "replace").replace(tmp + os.sep, "")
    err = r.stderr.decode("utf-8", "replace").replace(tmp + os.sep, "")
    return "ran", (r.returncode, out, err, d["exit"])


def compare(label, expected, actual):
    if expected == actual:
        return ""
    diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                f"expected {label}", f"actual {label}")
    return "".join(diff)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("paths", nargs="+", help="test folders or files")
    a = ap.parse_args()
    tandem = os.path.abspath(a.tandem)

    tests = []
    for p in a.paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(EXTS):
                    tests.append(os.path.join(os.path.abspath(p), name))
        else:
            tests.append(os.path.abspath(p))

    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            stem = os.path.splitext(t)[0]
            status, result = run_one(tandem, t, tmp, a.timeout)
            rel = os.path.relpath(t)
            if status == "skip":
                skipped += 1
                print(f"SKIP {rel} ({result})")
                continue
            if status == "fail":
                failed += 1
                print(f"FAIL {rel}: {result}")
                continue
            code, out, err, want_code = result
            if a.update:
                with open(stem + ".out", "w") as f:
                    f.write(out)
                if err or os.path.exists(stem + ".err"):
                    with open(stem + ".err", "w") as f:
                        f.write(err)
            problems = []
            if code != want_code:
                problems.append(f"exit status {code}, expected {want_code}\n" +
                                ("stderr:\n" + err if err else ""))
            exp_out = open(stem + ".out").read() if os.path.exists(stem + ".out") else None
            if exp_out is None:
                problems.append("missing expected output file " + os.path.relpath(stem + ".out"))
            else:
                problems.append(compare("stdout", exp_out, out))
            if os.path.exists(stem + ".err"):
                problems.append(compare("stderr", open(stem + ".err").read(), err))
            problems = [p for p in problems if p]
            if problems:
                failed += 1
                print(f"FAIL {rel}")
                for p in problems:
                    print(p.rstrip())
            else:
                passed += 1
                print(f"PASS {rel}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
