"""DuckDB standing in for Athena: a CUR 2.0 table from CSV files, and the rollup query run over it.

The table is what an Athena table over a Data Exports CUR 2.0 export holds: `tags`, `resource_tags`
and `product` as MAP(VARCHAR, VARCHAR), every other column as it is in the file (text). CUR 2.0 has a
fixed schema, so columns a small fixture leaves out are added as NULL, as the export writes them.
"""

import duckdb

from columns import MAP_COLUMNS, QUERY_COLUMNS

_con = duckdb.connect()


def load_cur(paths: list[str], table: str = "cur2") -> int:
    """Creates `table` from CUR 2.0 CSV files (text cells, JSON map cells as MAPs) or Parquet files
    (as Data Exports writes them: DOUBLE amounts, TIMESTAMP dates, MAP columns); returns its rows."""
    con = _con
    files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    if all(p.endswith(".parquet") for p in paths):
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_cur AS SELECT * FROM read_parquet([{files}])")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_cur AS SELECT * FROM read_csv([{files}], all_varchar = true, header = true)")
    types = {row[0]: row[1] for row in con.execute("DESCRIBE raw_cur").fetchall()}
    present = set(types)
    select = []
    for name in sorted(present):
        quoted = '"' + name.replace('"', '""') + '"'
        if name in MAP_COLUMNS and types[name] == "VARCHAR":
            select.append(f"CAST(json({quoted}) AS MAP(VARCHAR, VARCHAR)) AS {quoted}")
        else:
            select.append(quoted)
    for name in QUERY_COLUMNS:
        if name not in present:
            select.append(f"CAST(NULL AS VARCHAR) AS {name}")
    for name in MAP_COLUMNS:
        if name not in present:
            select.append(f"CAST(NULL AS MAP(VARCHAR, VARCHAR)) AS {name}")
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {', '.join(select)} FROM raw_cur")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def write_rollup(query: str, out_csv: str) -> int:
    """Runs the rollup query and writes its result as CSV with a header; returns the rows written."""
    con = _con
    body = query.strip().rstrip(";")
    con.execute(f"COPY ({body}) TO '{out_csv}' (HEADER, DELIMITER ',')")
    return con.execute(f"SELECT count(*) FROM read_csv('{out_csv}', all_varchar = true)").fetchone()[0]
