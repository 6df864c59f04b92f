#!/usr/bin/env python3
"""tandem's benchmark harness: runs the twin workloads under several engines
and tiers, verifies every checksum, and reports medians, spread, ratios to a
baseline and geometric means as a text table, JSON and an SVG chart.

  bench/run.py                          all workloads, all engines found, 5 runs
  bench/run.py --engines native,node --workloads nbody,sha256 --runs 3
  bench/run.py --verify                 one run each, checksums only (no timing)
  bench/run.py --markdown docs/benchmarks.md   also rewrite the results page

Engines are command templates ({js}, {wasm}, {wasi}, {native}, {n} are filled
in); add others with --engine NAME=TEMPLATE. An engine whose program is not on
the machine, or that cannot run a workload (a JS engine on a C-only workload),
is skipped and reported as such. Wrong checksums are reported as errors and
never timed.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS_DIR = os.path.join(HERE, "workloads")

# name -> (kind, template). kind says which file the engine runs.
ENGINES = {
    "native": ("native", "{native}"),
    "tandem-js": ("js", "{tandem} {js}"),
    "tandem-wasm-interp": ("wasm", "{tandem} --wasm-tier=interp --invoke bench {wasm}"),
    "tandem-wasm-jit": ("wasm", "{tandem} --wasm-tier=jit --invoke bench {wasm}"),
    "node": ("js", "node {js}"),
    "node-jitless": ("js", "node --jitless {js}"),
    "node-wasm": ("wasm", "node " + os.path.join(HERE, "run_wasm.mjs") + " {wasm}"),
    "wasm-interp": ("wasm", "wasm-interp {wasm} --run-all-exports"),
}
# The JIT engines join the defaults when the LLVM tiers exist; until then
# --wasm-tier=jit falls back to the interpreter and would mislabel its numbers.
NOT_YET = {"tandem-wasm-jit"}
DEFAULT_ENGINES = [e for e in ENGINES if e not in NOT_YET]
STARTUP = {  # a do-nothing run of each engine
    "tandem-js": "{tandem} -e 0",
    "node": "node -e 0",
    "node-jitless": "node --jitless -e 0",
}


def load_expected():
    with open(os.path.join(WORKLOADS_DIR, "expected.json")) as f:
        return json.load(f)


def workload_files(build, name):
    return {
        "js": os.path.join(WORKLOADS_DIR, name + ".js"),
        "native": os.path.join(build, "bench", "native", name),
        "wasm": os.path.join(build, "bench", "wasm", name + ".wasm"),
        "wasi": os.path.join(build, "bench", "wasi", name + ".wasm"),
    }


def parse_checksum(out):
    """The last integer the program printed, as an unsigned 32-bit number
    (Wasm engines print i32 results signed)."""
    nums = re.findall(r"-?\d+", out)
    if not nums:
        return None
    return int(nums[-1]) & 0xFFFFFFFF


def run_once(cmd, timeout):
    """Runs cmd; returns (seconds, stdout, stderr, status); seconds is None on a timeout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, "", "timed out after %ss" % timeout, -1
    elapsed = time.perf_counter() - start
    return elapsed, out.decode(errors="replace"), err.decode(errors="replace"), proc.returncode


def measure_rss(cmd, timeout):
    """Peak RSS (KiB) of one run, through /usr/bin/time when available."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if not gnu_time:
        return None
    try:
        r = subprocess.run([gnu_time, "-f", "%M"] + cmd, capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None
    lines = r.stderr.decode(errors="replace").strip().splitlines()
    try:
        return int(lines[-1])
    except (ValueError, IndexError):
        return None


def engine_available(name, template, tandem):
    prog = shlex.split(template.replace("{tandem}", tandem))[0]
    if prog.startswith("{"):
        return True
    return shutil.which(prog) is not None or os.path.exists(prog)


def fmt_time(s):
    if s is None:
        return "-"
    return "%.3fs" % s if s >= 0.1 else "%.1fms" % (s * 1000)


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def svg_chart(results, engines, workloads, baseline, path):
    """Grouped bars per workload: time relative to the baseline, log scale."""
    w, h, left, top, bottom = 160 + 90 * len(workloads), 420, 70, 30, 90
    plot_h = h - top - bottom
    ratios = [r for wl in workloads for e in engines
              if (r := results.get(wl, {}).get(e, {}).get("ratio"))]
    if not ratios:
        return
    lo = 10 ** math.floor(math.log10(min(ratios + [1.0])))
    hi = 10 ** math.ceil(math.log10(max(ratios + [1.0])))
    if hi <= lo:
        hi = lo * 10

    def y(v):
        return top + plot_h * (1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    colors = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="13">time relative to {baseline} (log scale, lower is faster)</text>']
    d = lo
    while d <= hi * 1.0001:
        parts.append(f'<line x1="{left}" x2="{w - 10}" y1="{y(d):.1f}" y2="{y(d):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(d) + 4:.1f}" text-anchor="end">{d:g}x</text>')
        d *= 10
    group_w = (w - left - 20) / max(1, len(workloads))
    bar_w = max(3, (group_w - 14) / max(1, len(engines)))
    for i, wl in enumerate(workloads):
        gx = left + 7 + i * group_w
        for j, e in enumerate(engines):
            r = results.get(wl, {}).get(e, {}).get("ratio")
            if not r:
                continue
            x = gx + j * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{y(r):.1f}" width="{bar_w - 1:.1f}" height="{top + plot_h - y(r):.1f}" '
                         f'fill="{colors[j % len(colors)]}"><title>{e} {wl}: {r:.2f}x</title></rect>')
        parts.append(f'<text x="{gx + group_w / 2 - 7:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{wl}</text>')
    for j, e in enumerate(engines):
        lx = left + (j % 4) * 170
        ly = h - 50 + (j // 4) * 16
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colors[j % len(colors)]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly}">{e}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="tandem build folder")
    ap.add_argument("--engines", default=",".join(DEFAULT_ENGINES))
    ap.add_argument("--engine", action="append", default=[], help="NAME=TEMPLATE, kind from {js}/{wasm}/{wasi}/{native}")
    ap.add_argument("--workloads", default="")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--baseline", default="native")
    ap.add_argument("--verify", action="store_true", help="one run each, check checksums, no timing")
    ap.add_argument("--json", default=None)
    ap.add_argument("--svg", default=None)
    ap.add_argument("--markdown", default=None, help="rewrite this results page (docs/benchmarks.md)")
    a = ap.parse_args()

    tandem = os.path.join(a.build, "tandem")
    engines_spec = dict(ENGINES)
    for spec in a.engine:
        name, _, template = spec.partition("=")
        kind = next((k for k in ("js", "wasm", "wasi", "native") if "{" + k + "}" in template), "js")
        engines_spec[name] = (kind, template)
    expected = load_expected()
    workloads = [w for w in a.workloads.split(",") if w] or sorted(expected)
    engines = [e for e in a.engines.split(",") if e] + [s.partition("=")[0] for s in a.engine]
    runs, warmup = (1, 0) if a.verify else (a.runs, a.warmup)

    present = []
    for e in engines:
        if e not in engines_spec:
            print(f"unknown engine {e}", file=sys.stderr)
            return 2
        if engine_available(e, engines_spec[e][1], tandem):
            present.append(e)
        else:
            print(f"skip engine {e}: not found on this machine")
    engines = present

    results, errors = {}, []
    for wl in workloads:
        files = workload_files(a.build, wl)
        want = expected[wl]
        results[wl] = {}
        for e in engines:
            kind, template = engines_spec[e]
            if not os.path.exists(files[kind]):
                continue  # e.g. a JS-only workload on a Wasm engine
            cmd = shlex.split(template.format(tandem=tandem, n="", **files))
            times, bad = [], None
            for i in range(warmup + runs):
                t, out, err, status = run_once(cmd, a.timeout)
                got = parse_checksum(out) if status == 0 else None
                if t is None or status != 0 or got != want:
                    bad = (f"{e} {wl}: exit {status}, checksum {got}, expected {want}"
                           + (": " + err.strip().splitlines()[-1] if err.strip() else ""))
                    break
                if i >= warmup:
                    times.append(t)
            if bad:
                errors.append(bad)
                results[wl][e] = {"error": bad}
                print("ERROR " + bad)
                continue
            med = statistics.median(times)
            spread = (max(times) - min(times)) / med if med > 0 and len(times) > 1 else 0.0
            results[wl][e] = {"median_s": med, "min_s": min(times), "max_s": max(times),
                              "spread": spread, "runs": len(times)}
            print(f"{'ok' if a.verify else fmt_time(med):>9}  {wl:<12} {e}")

    if a.verify:
        ok = sum(1 for wl in results for e in results[wl] if "error" not in results[wl][e])
        print(f"{ok} passed, {len(errors)} failed")
        return 1 if errors else 0

    for wl in workloads:
        base = results[wl].get(a.baseline, {}).get("median_s")
        for e, r in results[wl].items():
            if base and "median_s" in r:
                r["ratio"] = r["median_s"] / base
    geo = {e: geomean([results[wl].get(e, {}).get("ratio") for wl in workloads]) for e in engines}

    startup, rss = {}, {}
    for e in engines:
        if e in STARTUP:
            cmd = shlex.split(STARTUP[e].format(tandem=tandem))
            ts = [run_once(cmd, 30)[0] for _ in range(5)]
            ts = [t for t in ts if t is not None]
            if ts:
                startup[e] = statistics.median(ts)
        peak = None
        for wl in workloads:
            kind, template = engines_spec[e]
            files = workload_files(a.build, wl)
            if "median_s" in results[wl].get(e, {}):
                m = measure_rss(shlex.split(template.format(tandem=tandem, n="", **files)), a.timeout)
                if m:
                    peak = max(peak or 0, m)
                    results[wl][e]["max_rss_kib"] = m
        rss[e] = peak

    header = f"{'workload':<12}" + "".join(f"{e:>20}" for e in engines)
    lines = [header, "-" * len(header)]
    for wl in workloads:
        row = f"{wl:<12}"
        for e in engines:
            r = results[wl].get(e)
            if not r:
                row += f"{'-':>20}"
            elif "error" in r:
                row += f"{'WRONG/FAILED':>20}"
            else:
                cell = fmt_time(r["median_s"]) + (f" ({r['ratio']:.2f}x)" if "ratio" in r else "")
                row += f"{cell:>20}"
        lines.append(row)
    lines.append(f"{'geomean':<12}" + "".join(f"{(('%.2fx' % geo[e]) if geo[e] else '-'):>20}" for e in engines))
    lines.append(f"{'startup':<12}" + "".join(f"{fmt_time(startup.get(e)):>20}" for e in engines))
    lines.append(f"{'max RSS':<12}" + "".join(f"{(('%.1f MiB' % (rss[e] / 1024)) if rss.get(e) else '-'):>20}" for e in engines))
    table = "\n".join(lines)
    print()
    print(table)
    if errors:
        print("\nerrors:\n  " + "\n  ".join(errors))

    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
            "runs": runs, "warmup": warmup, "baseline": a.baseline}
    out_json = a.json or os.path.join(a.build, "bench-results.json")
    with open(out_json, "w") as f:
        json.dump({"meta": meta, "results": results, "geomean": geo, "startup_s": startup,
                   "max_rss_kib": rss, "errors": errors}, f, indent=2)
    out_svg = a.svg or os.path.join(a.build, "bench-results.svg")
    svg_chart(results, engines, workloads, a.baseline, out_svg)
    print(f"\nwrote {out_json} and {out_svg}")
    if a.markdown:
        chart_name = os.path.splitext(os.path.basename(a.markdown))[0] + ".svg"
        chart_path = os.path.join(os.path.dirname(os.path.abspath(a.markdown)), chart_name)
        shutil.copyfile(out_svg, chart_path)
        with open(a.markdown, "w") as f:
            f.write("# Benchmarks\n\nRegenerate with `bench/run.py --markdown docs/benchmarks.md` "
                    "after `scripts/build.sh release`.\n\n")
            f.write(f"Measured {meta['date']} on {meta['machine']}; median of {runs} runs after "
                    f"{warmup} warm-up; ratios are time / {a.baseline} (lower is faster).\n\n")
            f.write("```\n" + table + "\n```\n\n")
            f.write(f"![chart]({chart_name})\n\n")
            f.write("Workloads (bench/workloads/): each prints a checksum that the harness checks "
                    "against bench/workloads/expected.json, so a wrong answer never looks fast. "
                    "C twins are built with clang-19 -O2 natively and for wasm32.\n")
            if errors:
                f.write("\nFailures in this run:\n\n" + "".join(f"- {e}\n" for e in errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
