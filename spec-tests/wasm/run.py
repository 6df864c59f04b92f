#!/usr/bin/env python3
"""Runs the WebAssembly core spec tests against tandem.

Every .wast file under the suite folder ($WASM_SPEC_DIR, default
../shared/conformance/wasm/core beside the checkout) is converted with
`wast2json --enable-all` into a temporary folder and executed by wast_runner
(one subprocess per file, with a timeout, so a crash or hang only costs that
file). Each command's verdict is compared with known-failures.txt:

  file.wast:LINE  # reason     one command expected to fail
  file.wast:*     # reason     every command of the file may fail

Exit status 1 when a command fails that is not a known failure. Known
failures that pass now are listed so the list can shrink.
Options: --file X.wast (one file), -v (every failure and message mismatch),
--write-known-failures PATH (write the list from this run's failures).
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SUITE = os.path.join(os.path.dirname(CHECKOUT), "shared", "conformance", "wasm", "core")
KNOWN = os.path.join(HERE, "known-failures.txt")
CONVERT_FAILED = "wast2json cannot convert (Wasm 3.0 syntax)"
RESULT = re.compile(r"^(pass|fail|skip|mismatch) (\d+) (\d+)(?: (.*))?$")


def find_runner():
    for pattern in ("build*/spec-tests/wasm/wast_runner",):
        found = sorted(glob.glob(os.path.join(CHECKOUT, pattern)), key=os.path.getmtime)
        if found:
            return found[-1]
    return None


def load_known(path):
    """file -> {line or '*': reason}"""
    known = collections.defaultdict(dict)
    if not os.path.exists(path):
        return known
    with open(path) as f:
        for raw in f:
            entry, _, reason = raw.partition("#")
            entry = entry.strip()
            if not entry:
                continue
            name, _, line = entry.rpartition(":")
            known[name][line if line == "*" else int(line)] = reason.strip()
    return known


class FileResult:
    def __init__(self, rel):
        self.rel = rel
        self.skipped_file = None  # reason when the whole file is skipped
        self.commands = []        # (line, type)
        self.names = []           # module name a command defines or uses, or None
        self.verdicts = {}        # command index -> (status, message)
        self.crash = None
        self.sanitizer = False
        self.stderr = ""
        self.seconds = 0.0


def run_file(path, rel, runner, tmp, timeout, verbose, gc_stress):
    res = FileResult(rel)
    start = time.monotonic()
    out_dir = os.path.join(tmp, rel.replace(os.sep, "__")[:-5])
    os.makedirs(out_dir, exist_ok=True)
    json_path = os.path.join(out_dir, "commands.json")
    conv = subprocess.run(["wast2json", "--enable-all", path, "-o", json_path],
                          capture_output=True, text=True, errors="replace")
    if conv.returncode != 0:
        res.skipped_file = CONVERT_FAILED
        return res
    with open(json_path, encoding="utf-8") as f:
        doc = json.load(f)
    res.commands = [(c["line"], c["type"]) for c in doc["commands"]]
    res.names = [c.get("name") or (c.get("action") or {}).get("module") for c in doc["commands"]]
    cmd = [runner] + (["-v"] if verbose else []) + [json_path]
    if gc_stress:
        cmd[1:1] = ["--gc-stress", str(gc_stress)]
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout)
        out = r.stdout.decode("utf-8", "replace")
        res.stderr = r.stderr.decode("utf-8", "replace")
        code = r.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        res.stderr = (e.stderr or b"").decode("utf-8", "replace")
        code = None
    done = False
    for line in out.splitlines():
        m = RESULT.match(line)
        if m:
            res.verdicts[int(m.group(2))] = (m.group(1), m.group(4) or "")
        elif line.startswith("done "):
            done = True
    if code is None:
        res.crash = f"timed out after {timeout:g}s"
    elif code < 0:
        res.crash = f"runner killed by signal {-code}"
    elif not done:
        res.crash = f"runner exited with status {code} before finishing"
    if not res.crash and "Sanitizer" in res.stderr:
        # The runner finished, but a sanitizer found a bug (e.g. a leak at exit).
        res.crash = "sanitizer report (see -v)"
        res.sanitizer = True
    if res.crash:
        for i in range(len(res.commands)):
            res.verdicts.setdefault(i, ("fail", res.crash))
    res.seconds = time.monotonic() - start
    shutil.rmtree(out_dir, ignore_errors=True)
    return res


def reason_key(msg):
    """A failure message without the details that differ per command."""
    msg = re.sub(r"\(module at line \d+ failed\)", "(an earlier module failed)", msg)
    msg = re.sub(r"at offset \d+", "at offset N", msg)
    msg = re.sub(r"^(i32|i64|f32|f64|v128|funcref|externref|one of|\().*", "wrong result", msg)
    msg = re.sub(r"returned normally, expected .*", "no trap", msg)
    msg = re.sub(r"\"[^\"]*\"", "\"...\"", msg)
    msg = re.sub(r"\b\d+\b", "N", msg)
    return msg[:160]


# Failure messages that stand for a missing feature, and the reason written
# for them in known-failures.txt.
READABLE = [
    (r"multiple memories", "multi-memory not implemented (more than one memory is rejected)"),
    (r"malformed limits flags", "memory64 not implemented (64-bit memory limits are rejected)"),
    (r"malformed import kind", "exception handling not implemented (tag imports are rejected)"),
]
# Failures that usually follow from an earlier module of the same file that
# did not compile (a registered module missing, an instance missing).
CASCADE = re.compile(r"unknown import|^wrong result|^unexpected error|^no module")


def readable(key):
    for pattern, reason in READABLE:
        if re.search(pattern, key):
            return reason
    return key


def write_known(path, results):
    """Writes the failures of this run, grouped by reason. A file where more
    than half of the commands fail is listed as file:* under its most common
    reason."""
    groups = collections.defaultdict(list)
    for res in results:
        if res.skipped_file:
            continue
        # Commands that failed because their module failed share its reason.
        keyed = []
        current = None
        named = {}
        first_compile_failure = None
        for i, (line, typ) in enumerate(res.commands):
            st, msg = res.verdicts.get(i, ("fail", "no result from the runner"))
            key = reason_key(msg)
            name = res.names[i]
            if msg.startswith("no module named ") and named.get(name):
                key = named[name]
            elif msg.startswith("no module") and current:
                key = current
            elif first_compile_failure and CASCADE.search(msg.split(": ", 1)[-1] if
                                                          typ == "module" else key):
                key = first_compile_failure
            if typ == "module":
                current = key if st == "fail" else None
                if name:
                    named[name] = current
            if st == "fail" and "does not compile" in msg and not first_compile_failure:
                first_compile_failure = key
            if st != "fail":
                continue
            key = readable(key)
            if (line, key) not in keyed:
                keyed.append((line, key))
        if not keyed:
            continue
        fails = keyed
        if len(fails) * 2 > len(res.commands) and len(res.commands) > 20:
            top = collections.Counter(k for _, k in keyed).most_common(1)[0][0]
            groups[top].append(f"{res.rel}:*")
        else:
            for line, key in keyed:
                groups[key].append(f"{res.rel}:{line}")
    with open(path, "w") as f:
        f.write("# Known failures of the Wasm core spec tests (spec-tests/wasm/run.py).\n"
                "# file.wast:LINE = one command; file.wast:* = the whole file may fail.\n"
                "# Grouped by reason; remove entries as they start to pass.\n")
        for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
            f.write(f"\n# == {key}\n")
            for entry in groups[key]:
                f.write(f"{entry}  # {key}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", default=os.environ.get("WAST_RUNNER"),
                    help="path of wast_runner (default: the newest build*/ one)")
    ap.add_argument("--suite", default=os.environ.get("WASM_SPEC_DIR", DEFAULT_SUITE))
    ap.add_argument("--file", action="append", default=[],
                    help="run only this .wast (relative to the suite or a path)")
    ap.add_argument("--known", default=KNOWN)
    ap.add_argument("--write-known-failures", metavar="PATH")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--strict", action="store_true",
                    help="also fail when a known failure passes (the runner's self-test)")
    ap.add_argument("--gc-stress", type=int, default=0, metavar="N",
                    help="collect garbage on every Nth allocation (slow; finds GC bugs)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    runner = a.runner or find_runner()
    if not runner or not os.path.exists(runner):
        print("run.py: wast_runner not found (build it, or pass --runner)", file=sys.stderr)
        return 2
    if not shutil.which("wast2json"):
        print("run.py: wast2json not found (Debian package wabt)", file=sys.stderr)
        return 2
    suite = os.path.abspath(a.suite)
    if not os.path.isdir(suite):
        print(f"run.py: suite folder {suite} not found (set WASM_SPEC_DIR)", file=sys.stderr)
        return 2

    if a.file:
        files = []
        for f in a.file:
            p = f if os.path.exists(f) else os.path.join(suite, f)
            if not os.path.exists(p):
                print(f"run.py: no such file {f}", file=sys.stderr)
                return 2
            files.append(os.path.abspath(p))
    else:
        files = sorted(glob.glob(os.path.join(suite, "**", "*.wast"), recursive=True))

    def rel_of(p):
        r = os.path.relpath(p, suite)
        return os.path.basename(p) if r.startswith("..") else r

    known = load_known(a.known)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tandem-wast-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futures = [pool.submit(run_file, p, rel_of(p), os.path.abspath(runner), tmp,
                                   a.timeout, a.verbose, a.gc_stress) for p in files]
            results = [f.result() for f in futures]

    totals = collections.Counter()
    new_failures, now_passing, crashes = [], [], []
    skipped_files = []
    for res in results:
        if res.skipped_file:
            skipped_files.append(res)
            print(f"{res.rel}: skipped: {res.skipped_file}")
            continue
        file_known = known.get(res.rel, {})
        c = collections.Counter()
        for i, (line, typ) in enumerate(res.commands):
            status, msg = res.verdicts.get(i, ("fail", "no result from the runner"))
            is_known = line in file_known or "*" in file_known
            if status in ("pass", "mismatch"):
                c["passed"] += 1
                if status == "mismatch":
                    c["mismatched"] += 1
                    if a.verbose:
                        print(f"  message mismatch {res.rel}:{line}: {msg}")
            elif status == "skip":
                c["skipped"] += 1
            elif is_known:
                c["known"] += 1
                if a.verbose:
                    print(f"  known failure {res.rel}:{line} ({typ}): {msg}")
            else:
                c["failed"] += 1
                new_failures.append((res.rel, line, typ, msg))
        failing_lines = {line for i, (line, _) in enumerate(res.commands)
                         if res.verdicts.get(i, ("fail",))[0] == "fail"}
        present = {line for line, _ in res.commands}
        for entry in sorted(k for k in file_known if k != "*"):
            if entry in present and entry not in failing_lines:
                now_passing.append(f"{res.rel}:{entry}")
        if "*" in file_known and c["known"] == 0:
            now_passing.append(f"{res.rel}:*")
        if res.crash:
            crashes.append((res.rel, res.crash, res.stderr))
        totals.update(c)
        totals["commands"] += len(res.commands)
        totals["files"] += 1
        extra = f", {c['mismatched']} message mismatches" if c["mismatched"] else ""
        crash = f" [{res.crash}]" if res.crash else ""
        print(f"{res.rel}: {c['passed']} passed, {c['failed']} failed, {c['known']} known "
              f"failures, {c['skipped']} skipped{extra}{crash}")
        if a.verbose and res.stderr.strip():
            print("  runner stderr:\n    " + "\n    ".join(res.stderr.strip().splitlines()[-40:]))

    if crashes:
        print("\nRunner crashes / timeouts:")
        for rel, why, err in crashes:
            tail = err.strip().splitlines()[-5:]
            print(f"  {rel}: {why}" + "".join("\n      " + l for l in tail))
    if new_failures:
        print(f"\nNew failures (not in {os.path.relpath(a.known, CHECKOUT)}):")
        limit = None if a.verbose else 200
        for rel, line, typ, msg in new_failures[:limit]:
            print(f"  {rel}:{line} ({typ}): {msg}")
        if limit and len(new_failures) > limit:
            print(f"  ... and {len(new_failures) - limit} more (-v shows all)")
    if now_passing:
        print("\nKnown failures that pass now (remove them from the list):")
        for entry in now_passing[:200]:
            print(f"  {entry}")
        if len(now_passing) > 200:
            print(f"  ... and {len(now_passing) - 200} more")
    if a.write_known_failures:
        write_known(a.write_known_failures, results)
        print(f"\nwrote {a.write_known_failures}")

    elapsed = time.monotonic() - started
    print(f"\nTotal: {totals['files']} files run, {len(skipped_files)} files skipped "
          f"({CONVERT_FAILED}); {totals['commands']} commands: {totals['passed']} passed "
          f"({totals['mismatched']} with another error message), {totals['failed']} failed, "
          f"{totals['known']} known failures, {totals['skipped']} skipped (text-format "
          f"modules); {len(now_passing)} known failures pass now; {elapsed:.1f}s")
    if a.strict and now_passing:
        return 1
    return 1 if new_failures or any(r.sanitizer for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
