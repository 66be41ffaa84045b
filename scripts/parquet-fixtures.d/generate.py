"""Converts CUR 2.0 CSV fixtures to Parquet in AWS's writer shapes; see scripts/parquet-fixtures."""
import csv, datetime, decimal, glob, json, os, shutil, sys, tempfile

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

OUT = "Tests/Fixtures/parquet"
SOURCES = {"hand-computed": "Tests/Fixtures/cur2/hand-computed.csv", "demo": "Examples/demo/cur-2026-06.csv"}
MAPS = {"product", "resource_tags", "tags", "cost_category"}
DOUBLE_MAPS = {"discount"}


def column_type(name):
    """CUR 2.0's Parquet types: costs and amounts DOUBLE, rates strings, dates timestamps, maps."""
    if name in MAPS:
        return "map"
    if name in DOUBLE_MAPS:
        return "double_map"
    if name.endswith("_date") or name in ("line_item_usage_start_date", "line_item_usage_end_date"):
        return "timestamp"
    if name.endswith("_rate") or name.endswith("_rate_id"):
        return "string"
    if name.endswith("_cost") or name.endswith("_amount") or name.endswith("_quantity"):
        return "double"
    return "string"


def parse_time(text):
    text = text.replace("Z", "")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise ValueError(text)


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = {}
    for i, name in enumerate(header):
        kind = column_type(name)
        values = []
        for r in body:
            cell = r[i]
            if cell == "":
                values.append(None)
            elif kind == "map":
                values.append(list(json.loads(cell).items()))
            elif kind == "double_map":
                values.append([(k, float(v)) for k, v in json.loads(cell).items()])
            elif kind == "timestamp":
                values.append(parse_time(cell))
            elif kind == "double":
                values.append(float(decimal.Decimal(cell)))
            else:
                values.append(cell)
        columns[name] = (kind, values)
    return header, columns


def arrow_table(header, columns):
    types = {"map": pa.map_(pa.string(), pa.string()), "double_map": pa.map_(pa.string(), pa.float64()),
             "timestamp": pa.timestamp("us"), "double": pa.float64(), "string": pa.string()}
    return pa.table({n: pa.array(columns[n][1], types[columns[n][0]]) for n in header})


def spark_write(spark, table, path, version, dictionary):
    from pyspark.sql import types as T
    kinds = {"map": T.MapType(T.StringType(), T.StringType()), "double_map": T.MapType(T.StringType(), T.DoubleType()),
             "timestamp": T.TimestampType(), "double": T.DoubleType(), "string": T.StringType()}
    schema = T.StructType([T.StructField(n, kinds[k], True) for n, k in table["kinds"]])
    rows = [tuple(dict(v) if isinstance(v, list) else v for v in row) for row in table["rows"]]
    frame = spark.createDataFrame(rows, schema).coalesce(1)
    tmp = tempfile.mkdtemp()
    (frame.write.mode("overwrite")
        .option("parquet.writer.version", version)
        .option("parquet.enable.dictionary", "true" if dictionary else "false")
        .option("compression", "snappy")
        .parquet(tmp + "/out"))
    part = sorted(glob.glob(tmp + "/out/part-*.parquet"))[0]
    shutil.copy(part, path)
    shutil.rmtree(tmp)


def duckdb_pin(path):
    """DuckDB's reading of a file, doubles as DECIMAL(38,10), maps as JSON text, timestamps as ISO."""
    con = duckdb.connect()
    cols = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    exprs = []
    for name, typ, *_ in cols:
        q = f'"{name}"'
        if typ == "DOUBLE":
            exprs.append(f"CAST({q} AS DECIMAL(38,10)) AS {q}")
        elif typ.startswith("MAP"):
            exprs.append(f"CAST(to_json({q}) AS VARCHAR) AS {q}")
        elif typ.startswith("TIMESTAMP"):
            exprs.append(f"strftime({q}, '%Y-%m-%dT%H:%M:%SZ') AS {q}")
        else:
            exprs.append(q)
    con.execute(f"COPY (SELECT {', '.join(exprs)} FROM read_parquet('{path}')) TO '{path[:-len('.parquet')]}.duckdb.csv' (HEADER, DELIMITER ',')")


def main():
    os.makedirs(OUT, exist_ok=True)
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("unitcost-fixtures")
             .config("spark.sql.parquet.outputTimestampType", "INT96")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    for name, source in SOURCES.items():
        header, columns = load(source)
        table = arrow_table(header, columns)
        n = len(next(iter(columns.values()))[1])
        spark_table = {"kinds": [(h, columns[h][0]) for h in header],
                       "rows": [tuple(columns[h][1][i] for h in header) for i in range(n)]}
        outputs = {
            "spark-v1": lambda p: spark_write(spark, spark_table, p, "v1", True),
            "spark-v2": lambda p: spark_write(spark, spark_table, p, "v2", True),
            "spark-v2-delta": lambda p: spark_write(spark, spark_table, p, "v2", False),
            "arrow-gzip": lambda p: pq.write_table(table, p, compression="gzip", data_page_version="1.0", row_group_size=64),
            "arrow-plain": lambda p: pq.write_table(
                table, p, compression="none", data_page_version="2.0", use_dictionary=False,
                column_encoding={h: "DELTA_LENGTH_BYTE_ARRAY" for h in header if columns[h][0] == "string"}),
        }
        for shape, write in outputs.items():
            path = f"{OUT}/{name}.{shape}.parquet"
            write(path)
            duckdb_pin(path)
            print(f"parquet-fixtures: {path} ({os.path.getsize(path):,} bytes)")
    spark.stop()
    focus()
    special()


def focus():
    """The FOCUS fixture as a FOCUS Parquet export: costs DOUBLE, periods TIMESTAMP, Tags a MAP, NULL as null."""
    with open("Tests/Fixtures/focus/bedrock.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    doubles = {"BilledCost", "EffectiveCost", "ListCost", "PricingQuantity", "ContractedCost", "ConsumedQuantity"}
    arrays = {}
    for i, name in enumerate(header):
        cells = [None if r[i] in ("", "NULL") else r[i] for r in body]
        if name == "Tags":
            arrays[name] = pa.array([list(json.loads(c).items()) if c else None for c in cells], pa.map_(pa.string(), pa.string()))
        elif name in doubles:
            arrays[name] = pa.array([float(decimal.Decimal(c)) if c else None for c in cells], pa.float64())
        elif name.endswith("Start") or name.endswith("End"):
            arrays[name] = pa.array([parse_time(c) if c else None for c in cells], pa.timestamp("us"))
        else:
            arrays[name] = pa.array(cells, pa.string())
    path = f"{OUT}/focus.arrow-snappy.parquet"
    pq.write_table(pa.table(arrays), path, compression="snappy")
    duckdb_pin(path)
    print(f"parquet-fixtures: {path}")


def special():
    """Types and encodings the CUR fixtures do not reach, and files unitcost must refuse."""
    n = 300
    table = pa.table({
        "i32": pa.array([(i * 37) % 1001 - 500 for i in range(n)], pa.int32()),
        "i64": pa.array([i * 1_000_003 - 7 if i % 9 else None for i in range(n)], pa.int64()),
        "flag": pa.array([i % 3 == 0 for i in range(n)]),
        "amount": pa.array([decimal.Decimal(i * 7 - 900) / 100 for i in range(n)], pa.decimal128(12, 2)),
        "day": pa.array([datetime.date(2026, 6, 1) + datetime.timedelta(days=i % 40) for i in range(n)], pa.date32()),
        "at_ms": pa.array([datetime.datetime(2026, 6, 1) + datetime.timedelta(seconds=i * 61) for i in range(n)], pa.timestamp("ms")),
        "name": pa.array([f"v{i % 13}" if i % 4 else None for i in range(n)]),
        "tags": pa.array([[("k", None), ("q\"uote", "\u00e9\n")] if i % 5 == 0 else ([] if i % 5 == 1 else None) for i in range(n)],
                         pa.map_(pa.string(), pa.string())),
    })
    path = f"{OUT}/types.arrow-delta.parquet"
    pq.write_table(table, path, compression="snappy", data_page_version="2.0", use_dictionary=["name"],
                   column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED",
                                    "at_ms": "DELTA_BINARY_PACKED"}, data_page_size=256)
    duckdb_pin(path)
    print(f"parquet-fixtures: {path}")
    refuse = pa.table({"line_item_unblended_cost": pa.array([1.5, 2.25])})
    pq.write_table(refuse, f"{OUT}/refuse.zstd.parquet", compression="zstd")
    pq.write_table(refuse, f"{OUT}/refuse.byte-stream-split.parquet", compression="none", use_dictionary=False,
                   column_encoding={"line_item_unblended_cost": "BYTE_STREAM_SPLIT"})
    header, columns = load(SOURCES["hand-computed"])
    legacy = arrow_table([h for h in header if h not in MAPS], columns)
    legacy = legacy.append_column("resource_tags_user_campaign", pa.array(["spring"] * legacy.num_rows))
    pq.write_table(legacy, f"{OUT}/refuse.legacy-athena.parquet", compression="snappy")
    whole = open(f"{OUT}/refuse.zstd.parquet", "rb").read()
    open(f"{OUT}/refuse.truncated.parquet", "wb").write(whole[: len(whole) // 2])
    open(f"{OUT}/refuse.encrypted.parquet", "wb").write(b"PARE" + whole[4:-4] + b"PARE")
    print(f"parquet-fixtures: {OUT}/refuse.*.parquet")


if __name__ == "__main__":
    main()
