#!/usr/bin/env python3
"""Writes the Parquet variant of a bench dataset: the same rows as cur.csv, typed as CUR 2.0's Parquet
export types them (costs, amounts and factors DOUBLE, rates strings, dates TIMESTAMP, the JSON map cells
MAP(VARCHAR, VARCHAR)), Snappy-compressed, by DuckDB, in row groups of 122,880 rows.

usage: to_parquet.py CUR.csv OUT.parquet
"""

import sys

import duckdb

MAPS = {"product", "resource_tags", "tags", "cost_category"}


def kind(name):
    if name in MAPS:
        return "map"
    if name.endswith("_date"):
        return "timestamp"
    if name.endswith("_rate") or name.endswith("_rate_id") or name.endswith("_rate_code"):
        return "string"
    if name.endswith("_cost") or name.endswith("_amount") or name.endswith("_factor") or name.endswith("_discount"):
        return "double"
    return "string"


def main():
    source, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    header = open(source).readline().rstrip("\r\n").split(",")
    exprs = []
    for name in header:
        q = f'"{name}"'
        k = kind(name)
        if k == "map":
            exprs.append(f"CASE WHEN {q} IS NULL OR {q} = '' THEN NULL ELSE CAST(json_transform({q}, '\"MAP(VARCHAR, VARCHAR)\"') AS MAP(VARCHAR, VARCHAR)) END AS {q}")
        elif k == "timestamp":
            exprs.append(f"CAST(nullif({q}, '') AS TIMESTAMP) AS {q}")
        elif k == "double":
            exprs.append(f"CAST(nullif({q}, '') AS DOUBLE) AS {q}")
        else:
            exprs.append(f"nullif({q}, '') AS {q}")
    con.execute(
        f"COPY (SELECT {', '.join(exprs)} FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')) "
        f"TO '{out}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)", [source])


if __name__ == "__main__":
    main()
