"""The rollup equivalence test (issue 10, SPEC §12), run by scripts/sql-equivalence.

For every case (a folder with a config and its CUR 2.0 files) and period:
1. `unitcost sql --dialect duckdb` prints the query; DuckDB runs it over the case's CUR files, loaded as
   the table an Athena table over a Data Exports export would be (duckdb_engine.py), and writes the rollup CSV.
   With `--engine spark` (scripts/sql-spark), the spark dialect runs on PySpark (spark_engine.py).
2. unitcost reports the period from the raw files and from the rollup, with the same config otherwise,
   under each cost basis the files support.
3. The two summary.json files must agree exactly on every money and token figure: everything but the
   config hash, the finance run id (a hash of the inputs) and the inputs block (whose path, hash, family and row counts describe a different
   file); of the inputs block, the coverage, finality and the excluded cost per reason must agree too.
Then the Athena, Trino, Spark and DuckDB text is parsed by sqlglot with each dialect's reader.
Exits 1 on any difference.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

BASES = ["net_unblended", "unblended", "amortized"]
# (name, folder, config, billing file to use instead of the config's (a Parquet export of the same
# rows: DOUBLE amounts and TIMESTAMP dates, as an Athena table over Data Exports holds them), periods)
CASES = [
    ("hand-computed", "Tests/Fixtures/cur2", "hand-computed.yaml", None, ["2026-06", "2026-W25"]),
    ("ties", "Tests/Fixtures/rollup", "ties.yaml", None, ["2026-06", "2026-W25"]),
    ("hourly", "Tests/Fixtures/rollup", "hourly.yaml", None, ["2026-06", "2026-W25"]),
    ("demo", "Examples/demo", "unitcost.yaml", None, ["2026-06", "2026-W25"]),
    ("hand-computed.parquet", "Tests/Fixtures/cur2", "hand-computed.yaml", "Tests/Fixtures/parquet/hand-computed.spark-v2.parquet", ["2026-W25"]),
    ("demo.parquet", "Examples/demo", "unitcost.yaml", "Tests/Fixtures/parquet/demo.arrow-gzip.parquet", ["2026-06"]),
    # The finance statement: allocation, credits spread, and the reconciliation to the invoice totals.
    ("demo-finance", "Examples/demo", "finance.yaml", None, ["2026-06"]),
    ("hourly-finance", "Tests/Fixtures/rollup", "hourly.yaml", None, ["2026-06"]),
]


def run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sql-equivalence: {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def billing_files(config_path: str) -> list[str]:
    """The `billing: [a.csv, b.csv]` list of a fixture config (one line, plain names)."""
    with open(config_path) as f:
        for line in f:
            m = re.match(r"^billing:\s*\[(.*)\]", line)
            if m:
                return [p.strip() for p in m.group(1).split(",") if p.strip()]
    sys.exit(f"sql-equivalence: {config_path} has no one-line billing: [...] list")


def with_billing(config_path: str, files: list[str], out_path: str) -> None:
    with open(config_path) as f:
        text = f.read()
    text = re.sub(r"(?m)^billing:\s*\[.*\]", "billing: [" + ", ".join(files) + "]", text)
    with open(out_path, "w") as f:
        f.write(text)


def differences(a, b, path="") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'raw' if k in a else 'rollup'}")
            else:
                out += differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def comparable(summary: dict) -> tuple[dict, list]:
    rest = {k: v for k, v in summary.items() if k not in ("config_sha256", "inputs")}
    if isinstance(rest.get("finance"), dict):
        # The run id hashes the input files, which differ by construction.
        rest["finance"] = {k: v for k, v in rest["finance"].items() if k != "run_id"}
    inputs = [
        {
            "coverage": i["coverage"],
            "final": i["final"],
            "excluded_cost": {o["reason"]: o.get("cost") for o in i["out_of_scope"]},
        }
        for i in summary["inputs"]
    ]
    return rest, inputs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                        help="duckdb (the CI test) or spark (scripts/sql-spark: the spark dialect on PySpark)")
    args = parser.parse_args()
    if args.engine == "spark":
        import spark_engine as engine
    else:
        import duckdb_engine as engine
    shutil.rmtree(args.work, ignore_errors=True)
    failures = 0
    compared = 0
    for name, folder, config, export, periods in CASES:
        for period in periods:
            bases = BASES
            case = os.path.join(args.work, f"{name}-{period}")
            raw, roll = os.path.join(case, "raw"), os.path.join(case, "rollup")
            shutil.copytree(os.path.join(ROOT, folder), raw)
            shutil.copytree(os.path.join(ROOT, folder), roll)
            if export:
                shutil.copy(os.path.join(ROOT, export), os.path.join(raw, "export.parquet"))
                with_billing(os.path.join(raw, config), ["export.parquet"], os.path.join(raw, config))
            files = billing_files(os.path.join(raw, config))
            query = run([args.bin, "sql", "--dialect", args.engine, "--config", os.path.join(raw, config), "--period", period])
            source_rows = engine.load_cur([os.path.join(raw, f) for f in files])
            rollup_rows = engine.write_rollup(query, os.path.join(roll, "rollup.csv"))
            with_billing(os.path.join(raw, config), ["rollup.csv"], os.path.join(roll, config))
            for basis in bases:
                summaries = []
                for side in (raw, roll):
                    out = os.path.join(side, "out-" + basis)
                    run([args.bin, "report", "--config", os.path.join(side, config), "--period", period, "--cost-basis", basis,
                         "--only", "finance" if "finance" in name else "media", "--format", "json", "--out", out])
                    found = [os.path.join(d, "summary.json") for d, _, fs in os.walk(out) if "summary.json" in fs and "clients" not in d]
                    with open(found[0]) as f:
                        summaries.append(json.load(f))
                (a, ai), (b, bi) = comparable(summaries[0]), comparable(summaries[1])
                diffs = differences(a, b) + differences(ai, bi, ".inputs")
                rows_note = summaries[1]["inputs"][0].get("rollup_of_source_rows")
                compared += 1
                label = f"{name} {period} {basis}: {source_rows} CUR rows -> {rollup_rows} rollup rows"
                if rows_note != source_rows:
                    diffs.append(f".inputs[0].rollup_of_source_rows: {rows_note} != {source_rows} CUR rows")
                if diffs:
                    failures += 1
                    print(f"sql-equivalence: DIFFERENT {label}")
                    for d in diffs[:20]:
                        print(f"    {d}")
                else:
                    total = summaries[0]["totals"]
                    print(f"sql-equivalence: same figures  {label}; Bedrock cost {total.get('bedrock_cost')}")

    # The printed text for every dialect parses with sqlglot's reader of that dialect.
    config = os.path.join(ROOT, "Examples/demo/unitcost.yaml")
    for dialect in ("athena", "trino", "spark", "duckdb") if args.engine == "duckdb" else ():
        import sqlglot

        text = run([args.bin, "sql", "--dialect", dialect, "--config", config, "--period", "2026-06", "--table", "cur.data"])
        try:
            tree = sqlglot.parse_one(text, read=dialect)
        except sqlglot.errors.ParseError as error:
            failures += 1
            print(f"sql-equivalence: {dialect} text does not parse: {error}")
            continue
        lambdas = len(list(tree.find_all(sqlglot.exp.Lambda)))
        print(f"sql-equivalence: {dialect} text parses with sqlglot ({len(text.splitlines())} lines, {lambdas} lambdas)")

    if failures:
        print(f"sql-equivalence: FAILED: {failures} difference(s) over {compared} comparisons")
        return 1
    print(f"sql-equivalence: {compared} comparisons on {args.engine}, money and token figures identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
