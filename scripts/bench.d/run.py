#!/usr/bin/env python3
"""The driver behind scripts/bench: makes the datasets, times both tools, checks they agree, prints a table.

For each row count: generate .bench/rows-N/cur.csv (fixed seed; gzip it too with --gzip) unless the
same generator already made it, then, --repeat times, run `unitcost report` and DuckDB's query on the
file, each under /usr/bin/time -v for its peak resident memory. The two results must agree exactly --
Bedrock total, cost per campaign, cost and tokens per model x token kind x tier -- or the bench fails.
Each run also times the scanner-only probe (scan/main.swift) on the file (CSV and gzip), and the same
probe reading the file and taking its SHA-256, nothing else (`--checksum-only`); their checksums must
equal the one in unitcost's summary.json. The input checksum is one serial chain on one core: a run
whose hashing thread read the file again takes no less than the checksum alone. unitcost's plain CSV
runs hash the chunks read for the rows instead, so they can take less (docs/PERFORMANCE.md, thirteenth
round).
MB are 10^6 bytes of CSV text (for .csv.gz, of the inflated text, the same work as for the plain file).

Run it through scripts/bench, which builds unitcost and makes the private DuckDB environment first.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN_LINE_TYPES = {"Usage", "SavingsPlanCoveredUsage", "DiscountedUsage"}


def say(message):
    print(f"bench: {message}", flush=True)


def generator_stamp():
    with open(os.path.join(HERE, "generate.py"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def dataset(root, rows, gzip, parquet=None):
    """The folder for `rows`, generated (and gzipped, or written as Parquet with `parquet`, the Python
    that has DuckDB) unless an identical one is already there."""
    folder = os.path.join(root, f"rows-{rows}")
    csv = os.path.join(folder, "cur.csv")
    stamp_path = os.path.join(folder, "stamp")
    stamp = generator_stamp()
    current = os.path.exists(stamp_path) and open(stamp_path).read().strip() == stamp
    if not current or not os.path.exists(csv):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        say(f"generating {rows:,} rows into {csv} (fixed seed; done once)")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(rows), csv], check=True)
        with open(stamp_path, "w") as f:
            f.write(stamp + "\n")
    if gzip and not os.path.exists(csv + ".gz"):
        say(f"compressing {csv} with gzip -6 (done once)")
        with open(csv + ".gz.part", "wb") as out:
            subprocess.run(["gzip", "-6", "-n", "-c", csv], stdout=out, check=True)
        os.replace(csv + ".gz.part", csv + ".gz")
    if parquet and not os.path.exists(os.path.join(folder, "cur.parquet")):
        say(f"writing {folder}/cur.parquet with DuckDB (Snappy, CUR 2.0's Parquet types; done once)")
        subprocess.run([parquet, os.path.join(HERE, "to_parquet.py"), csv, os.path.join(folder, "cur.parquet.part")], check=True)
        os.replace(os.path.join(folder, "cur.parquet.part"), os.path.join(folder, "cur.parquet"))
    return folder


def warm(path):
    """Reads the file once so every timed run finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(8 << 20):
            pass


def timed(command, log):
    """Runs `command` under /usr/bin/time -v; returns (wall seconds, peak RSS in bytes, CPU seconds user + system)."""
    rss_file = log + ".time"
    start = time.perf_counter()
    with open(log, "w") as out:
        status = subprocess.run(["/usr/bin/time", "-v", "-o", rss_file] + command, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if status.returncode != 0:
        sys.exit(f"bench: FAILED: {' '.join(command)} exited {status.returncode}; see {log}:\n" + open(log).read()[-3000:])
    text = open(rss_file).read()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", text))
    return seconds, int(match.group(1)) * 1024, cpu


def compare(summary_path, duck_path, truth_path):
    """Checks unitcost's summary against DuckDB's rows; returns the Bedrock total, exits on any difference."""
    summary = json.load(open(summary_path))
    duck = json.load(open(duck_path))
    truth = json.load(open(truth_path))["usage_types"]

    d_total = Decimal(0)
    d_campaigns, d_models = {}, {}
    for row in duck:
        cost = Decimal(row["cost"])
        d_total += cost
        d_campaigns[row["campaign"]] = d_campaigns.get(row["campaign"], Decimal(0)) + cost
        meaning = truth[f"{row['usage_type']}|{row['product_name']}"]
        key = (meaning["model"], meaning["kind"], meaning["tier"])
        tokens = 0
        if meaning["kind"] != "other" and row["line_item_type"] in TOKEN_LINE_TYPES:
            tokens = Decimal(row["amount"]) * meaning["per_unit"]
            assert tokens == int(tokens), f"fractional tokens in {row}"
        if not meaning["model"] and row["line_item_type"] not in TOKEN_LINE_TYPES:
            continue  # the model table leaves out tax and credits that name no model, as unitcost does
        cost0, tokens0 = d_models.get(key, (Decimal(0), 0))
        d_models[key] = (cost0 + cost, tokens0 + int(tokens))

    problems = []
    u_total = Decimal(summary["totals"]["bedrock_cost"])
    if u_total != d_total:
        problems.append(f"Bedrock total: unitcost {u_total} vs DuckDB {d_total}")
    unattributed = d_campaigns.pop(None, Decimal(0))
    if Decimal(summary["totals"]["unattributed_cost"]) != unattributed:
        problems.append(f"unattributed: unitcost {summary['totals']['unattributed_cost']} vs DuckDB {unattributed}")
    u_campaigns = {c["campaign"]: Decimal(c["cost"]) for c in summary["campaigns"]}
    for name in sorted(set(u_campaigns) | set(d_campaigns)):
        if u_campaigns.get(name) != d_campaigns.get(name):
            problems.append(f"campaign {name}: unitcost {u_campaigns.get(name)} vs DuckDB {d_campaigns.get(name)}")
    u_models = {(m["model"], m["token_kind"], m["tier"]): (Decimal(m["cost"]), m["tokens"]) for m in summary["models"]}
    for key in sorted(set(u_models) | set(d_models), key=str):
        if u_models.get(key) != d_models.get(key):
            problems.append(f"model {key}: unitcost {u_models.get(key)} vs DuckDB {d_models.get(key)}")
    if problems:
        print("bench: FAILED: unitcost and DuckDB disagree:", file=sys.stderr)
        for p in problems[:20]:
            print("  " + p, file=sys.stderr)
        print(f"  ({len(problems)} differences)", file=sys.stderr)
        sys.exit(1)
    return u_total, len(u_campaigns), len(u_models)


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return f"{os.cpu_count()} cores, {model}, {mem_kb / 1024 / 1024:.0f} GiB, {platform.system()} {platform.release()}"


def fmt_range(values, digits):
    lo, hi = min(values), max(values)
    return f"{lo:.{digits}f}" if round(lo, digits) == round(hi, digits) else f"{lo:.{digits}f}–{hi:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the unitcost binary")
    parser.add_argument("--scan", required=True, help="the scanner-only probe")
    parser.add_argument("--rows", type=int, action="append", help="row counts (repeatable)")
    parser.add_argument("--gzip", action="store_true", help="bench the .csv.gz files instead of .csv")
    parser.add_argument("--parquet", action="store_true", help="bench the Parquet variant (cur.parquet) instead of .csv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=".bench")
    parser.add_argument("--command", default="scripts/bench", help="the command line, for the record")
    args = parser.parse_args()
    sizes = args.rows or [200_000, 1_000_000, 3_000_000]
    root = os.path.abspath(args.dir)
    duck_python = os.path.join(root, "venv", "bin", "python")
    import_check = subprocess.run([duck_python, "-c", "import duckdb; print(duckdb.__version__)"],
                                  capture_output=True, text=True, check=True)
    duck_version = import_check.stdout.strip()
    say(f"machine: {machine()}")
    say(f"DuckDB {duck_version} (default threads: all cores); unitcost {args.bin}")

    results = []
    load_start = os.getloadavg()[0]
    for rows in sizes:
        folder = dataset(root, rows, args.gzip, duck_python if args.parquet else None)
        name = "cur.csv.gz" if args.gzip else "cur.parquet" if args.parquet else "cur.csv"
        path = os.path.join(folder, name)
        csv_bytes = os.path.getsize(os.path.join(folder, "cur.csv"))
        file_bytes = os.path.getsize(path)
        config = os.path.join(folder, "unitcost-gz.yaml" if args.gzip else "unitcost-parquet.yaml" if args.parquet else "unitcost.yaml")
        if args.gzip or args.parquet:
            with open(os.path.join(folder, "unitcost.yaml")) as f:
                text = f.read().replace("billing: [cur.csv]", f"billing: [{name}]")
            with open(config, "w") as f:
                f.write(text)
        warm(path)
        runs = {"unitcost": [], "duckdb": [], "scan": [], "checksum": []}
        out = os.path.join(folder, "out")
        for attempt in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            runs["unitcost"].append(timed(
                [args.bin, "report", "--config", config, "--period", "2026-06", "--format", "json", "--out", out],
                os.path.join(folder, "unitcost.log")))
            runs["duckdb"].append(timed(
                [duck_python, os.path.join(HERE, "duckdb_agg.py")] + (["--parquet"] if args.parquet else [])
                + [path, os.path.join(folder, "duckdb.json")],
                os.path.join(folder, "duckdb.log")))
            if not args.parquet:
                # The scanner probe reads CSV (and gzip); a Parquet file has no scanner to compare.
                runs["scan"].append(timed([os.path.abspath(args.scan), path], os.path.join(folder, "scan.log")))
            runs["checksum"].append(timed([os.path.abspath(args.scan), "--checksum-only", path], os.path.join(folder, "checksum.log")))
            say(f"{rows:,} rows, run {attempt + 1}/{args.repeat}: unitcost {runs['unitcost'][-1][0]:.2f} s, "
                f"DuckDB {runs['duckdb'][-1][0]:.2f} s, "
                + (f"scanner alone {runs['scan'][-1][0]:.2f} s, " if runs["scan"] else "")
                + f"checksum alone {runs['checksum'][-1][0]:.2f} s")
        summary_sha = json.load(open(os.path.join(out, "2026-06", "summary.json")))["inputs"][0]["sha256"]
        probes = [("checksum probe", open(os.path.join(folder, "checksum.log")).read().split()[-1])]
        if not args.parquet:
            probes.append(("scanner", open(os.path.join(folder, "scan.log")).read().split()[-1]))
        for probe, probe_sha in probes:
            if summary_sha != probe_sha:
                sys.exit(f"bench: FAILED: the {probe}'s checksum {probe_sha} differs from unitcost's {summary_sha}")
        total, campaigns, models = compare(os.path.join(out, "2026-06", "summary.json"),
                                           os.path.join(folder, "duckdb.json"), os.path.join(folder, "cur.truth.json"))
        say(f"{rows:,} rows: both tools agree exactly: Bedrock {total} USD, {campaigns} campaigns, {models} model rows")
        results.append({"rows": rows, "file": name, "file_bytes": file_bytes, "csv_bytes": csv_bytes,
                        "unitcost": runs["unitcost"], "duckdb": runs["duckdb"], "scan": runs["scan"], "checksum": runs["checksum"],
                        "bedrock_total": str(total), "load": os.getloadavg()[0]})

    print()
    kind = (".csv.gz (MB/s of inflated CSV)" if args.gzip
            else ".parquet (MB/s of the same rows as CSV text; no scanner alone)" if args.parquet else ".csv")
    print(f"Results, {kind}; {args.repeat} runs each, median first, range in brackets; MB = 10^6 bytes")
    print(f"Machine: {machine()}; DuckDB {duck_version}")
    print(f"Command: {args.command}")
    print(f"Load average (1 min, {os.cpu_count()} cores): {load_start:.1f} at the start; per size, at its end, in the last column."
          " CPU s is user + system time over all threads (DuckDB uses every core; unitcost two threads on plain CSV from 64 MiB — one reading the rows, the"
          " other hashing the chunks read, and reading the file's end when rows cost more than hashing —, two on gzip — inflating and checksumming, parsing — and three on Parquet from 65,536 rows — two"
          " decoding and reading half of the rows each, one checksumming). Checksum alone: the probe reading the file with read(2) and taking its SHA-256,"
          " nothing else, on one thread; a plain CSV run hashes the chunks it read for its rows instead, without that second read.")
    print()
    print("| rows | file size | CSV size | unitcost s | unitcost MB/s | DuckDB s | DuckDB MB/s | ratio | "
          "unitcost s/GB | unitcost CPU s | DuckDB CPU s | unitcost peak RSS | DuckDB peak RSS | scanner alone MB/s | checksum alone s | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        us = [run[0] for run in r["unitcost"]]
        ds = [run[0] for run in r["duckdb"]]
        ss = [run[0] for run in r["scan"]]
        cs = [run[0] for run in r["checksum"]]
        mb = r["csv_bytes"] / 1e6
        scanner = f"{mb / statistics.median(ss):,.0f} ({fmt_range([mb / s for s in ss], 0)})" if ss else "—"
        u_med, d_med = statistics.median(us), statistics.median(ds)
        print(f"| {r['rows']:,} | {r['file_bytes'] / 1e6:,.0f} MB | {mb:,.0f} MB "
              f"| {u_med:.2f} ({fmt_range(us, 2)}) | {mb / u_med:,.0f} ({fmt_range([mb / s for s in us], 0)}) "
              f"| {d_med:.2f} ({fmt_range(ds, 2)}) | {mb / d_med:,.0f} ({fmt_range([mb / s for s in ds], 0)}) "
              f"| {d_med / u_med:.2f}× | {u_med / (mb / 1000):.2f} "
              f"| {statistics.median(run[2] for run in r['unitcost']):.2f} | {statistics.median(run[2] for run in r['duckdb']):.2f} "
              f"| {max(run[1] for run in r['unitcost']) / 2**20:,.0f} MiB | {max(run[1] for run in r['duckdb']) / 2**20:,.0f} MiB "
              f"| {scanner} | {statistics.median(cs):.2f} ({fmt_range(cs, 2)}) | {r['load']:.1f} |")
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    with open(os.path.join(root, f"results-{stamp}{'-gz' if args.gzip else '-parquet' if args.parquet else ''}.json"), "w") as f:
        json.dump({"machine": machine(), "duckdb": duck_version, "command": args.command, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
