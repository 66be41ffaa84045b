"""DuckDB standing in for Athena: a CUR 2.0 table from CSV files, and the rollup query run over it.

The table is what an Athena table over a Data Exports CUR 2.0 export holds: `tags`, `resource_tags`
and `product` as MAP(VARCHAR, VARCHAR), every other column as it is in the file (text). CUR 2.0 has a
fixed schema, so columns a small fixture leaves out are added as NULL, as the export writes them.
"""

import duckdb

# Columns the rollup query reads; a fixture without one gets it as NULL.
QUERY_COLUMNS = [
    "bill_payer_account_id", "bill_billing_entity", "bill_invoice_id", "bill_billing_period_start_date",
    "line_item_line_item_type", "line_item_product_code", "line_item_usage_account_id", "line_item_usage_type",
    "pricing_unit", "line_item_unblended_rate", "line_item_currency_code", "line_item_resource_id",
    "line_item_iam_principal", "reservation_reservation_a_r_n", "line_item_usage_start_date",
    "line_item_usage_end_date", "line_item_usage_amount", "line_item_unblended_cost",
    "line_item_net_unblended_cost", "pricing_public_on_demand_cost", "savings_plan_savings_plan_effective_cost",
    "reservation_effective_cost", "savings_plan_total_commitment_to_date", "savings_plan_used_commitment",
]
MAP_COLUMNS = ["tags", "resource_tags", "product"]


def load_cur(con: duckdb.DuckDBPyConnection, paths: list[str], table: str = "cur2") -> None:
    """Creates `table` from CUR 2.0 CSV files (text cells, JSON map cells as MAPs) or Parquet files
    (as Data Exports writes them: DOUBLE amounts, TIMESTAMP dates, MAP columns)."""
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


def write_rollup(con: duckdb.DuckDBPyConnection, query: str, out_csv: str) -> int:
    """Runs the rollup query and writes its result as CSV with a header; returns the rows written."""
    body = query.strip().rstrip(";")
    con.execute(f"COPY ({body}) TO '{out_csv}' (HEADER, DELIMITER ',')")
    return con.execute(f"SELECT count(*) FROM read_csv('{out_csv}', all_varchar = true)").fetchone()[0]
