"""Spark SQL running the `--dialect spark` query (scripts/sql-spark, outside CI).

The table is what a Spark table over a Data Exports CUR 2.0 export holds: from Parquet as it is
(DOUBLE amounts, TIMESTAMP dates, MAP columns); from CSV with every cell a string and the JSON map
cells parsed into MAP<STRING, STRING>. The rollup is written the way a Spark job writes CSV: one part
file with a header, quotes doubled (escape "), decimals as Spark prints them (`1E-10`).
"""

import glob
import os
import shutil
import tempfile

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from columns import MAP_COLUMNS, QUERY_COLUMNS

_spark = None


def session() -> SparkSession:
    global _spark
    if _spark is None:
        _spark = (
            SparkSession.builder.master("local[1]")
            .appName("unitcost-sql-spark")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def load_cur(paths: list[str], table: str = "cur2") -> int:
    spark = session()
    if all(p.endswith(".parquet") for p in paths):
        df = spark.read.parquet(*paths)
    else:
        df = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(paths)
        for name in MAP_COLUMNS:
            if name in df.columns:
                df = df.withColumn(name, F.from_json(F.col(name), "map<string,string>"))
    for name in QUERY_COLUMNS:
        if name not in df.columns:
            df = df.withColumn(name, F.lit(None).cast("string"))
    for name in MAP_COLUMNS:
        if name not in df.columns:
            df = df.withColumn(name, F.lit(None).cast("map<string,string>"))
    df.createOrReplaceTempView(table)
    return df.count()


def write_rollup(query: str, out_csv: str) -> int:
    spark = session()
    df = spark.sql(query.strip().rstrip(";"))
    folder = tempfile.mkdtemp(prefix="unitcost-spark-")
    try:
        (df.coalesce(1).write.mode("overwrite").option("header", True).option("escape", '"').option("quote", '"')
            .csv(os.path.join(folder, "out")))
        part = glob.glob(os.path.join(folder, "out", "part-*.csv"))[0]
        shutil.copy(part, out_csv)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(out_csv).count()
