#!/usr/bin/env python3
"""DuckDB's side of scripts/bench: the aggregation unitcost does, on the same file, as one SQL query.

Bedrock rows (first-party product codes, or AWS Marketplace with a product name ending in
" (Amazon Bedrock Edition)"), discount lines left out (the file has a net column), cost under the
net-unblended basis (the net cell, or the unblended cell where it is empty), summed as DECIMAL(38,10) by
campaign (the config's tag rules, in order, trimmed and case-folded) and by usage type, product name and
pricing unit (from which the bench derives model, token kind and tier). The file is read with
all_varchar=true and each amount cast, so both tools parse the same text.

With --parquet the file is the Parquet variant of the dataset (scripts/bench.d/to_parquet.py): the map
columns are MAPs and the amounts DOUBLEs, each cast to text (the shortest round-trip decimal) and then to
DECIMAL(38,10), as unitcost reads them.

usage: duckdb_agg.py [--parquet] FILE OUT.json
"""

import json
import sys

import duckdb

QUERY = """
WITH b AS (
    SELECT line_item_line_item_type AS lt, line_item_usage_type AS ut, pricing_unit AS pu,
           bill_billing_entity AS be, product, tags, resource_tags,
           line_item_usage_amount AS amount, line_item_unblended_cost AS unblended,
           line_item_net_unblended_cost AS net
    FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')
    WHERE line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels')
       OR (bill_billing_entity = 'AWS Marketplace'
           AND json_extract_string(product, '$.product_name') LIKE '% (Amazon Bedrock Edition)')
)
SELECT lower(coalesce(
           nullif(trim(json_extract_string(tags, '$."iamPrincipal/campaign"')), ''),
           nullif(trim(json_extract_string(tags, '$."resourceTags/campaign"')), ''),
           nullif(trim(json_extract_string(tags, '$."resourceTags/user:campaign"')), ''),
           nullif(trim(json_extract_string(resource_tags, '$."user_campaign"')), ''))) AS campaign,
       coalesce(ut, '') AS usage_type,
       CASE WHEN be = 'AWS Marketplace' THEN json_extract_string(product, '$.product_name') ELSE '' END AS product_name,
       coalesce(pu, '') AS pricing_unit,
       lt AS line_item_type,
       sum(CAST(coalesce(nullif(net, ''), unblended) AS DECIMAL(38, 10))) AS cost,
       sum(CAST(coalesce(nullif(amount, ''), '0') AS DECIMAL(38, 10))) AS amount,
       count(*) AS rows
FROM b
WHERE lt NOT LIKE '%Discount'
GROUP BY ALL
"""


PARQUET_QUERY = """
WITH b AS (
    SELECT line_item_line_item_type AS lt, line_item_usage_type AS ut, pricing_unit AS pu,
           bill_billing_entity AS be, product['product_name'] AS product_name, tags, resource_tags,
           CAST(line_item_usage_amount AS VARCHAR) AS amount, CAST(line_item_unblended_cost AS VARCHAR) AS unblended,
           CAST(line_item_net_unblended_cost AS VARCHAR) AS net
    FROM read_parquet(?)
    WHERE line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels')
       OR (bill_billing_entity = 'AWS Marketplace' AND product['product_name'] LIKE '% (Amazon Bedrock Edition)')
)
SELECT lower(coalesce(
           nullif(trim(tags['iamPrincipal/campaign']), ''),
           nullif(trim(tags['resourceTags/campaign']), ''),
           nullif(trim(tags['resourceTags/user:campaign']), ''),
           nullif(trim(resource_tags['user_campaign']), ''))) AS campaign,
       coalesce(ut, '') AS usage_type,
       CASE WHEN be = 'AWS Marketplace' THEN product_name ELSE '' END AS product_name,
       coalesce(pu, '') AS pricing_unit,
       lt AS line_item_type,
       sum(CAST(coalesce(net, unblended) AS DECIMAL(38, 10))) AS cost,
       sum(CAST(coalesce(amount, '0') AS DECIMAL(38, 10))) AS amount,
       count(*) AS rows
FROM b
WHERE lt NOT LIKE '%Discount'
GROUP BY ALL
"""


def main():
    args = sys.argv[1:]
    parquet = args[0] == "--parquet"
    path, out = args[-2], args[-1]
    rows = duckdb.connect().execute(PARQUET_QUERY if parquet else QUERY, [path]).fetchall()
    result = [
        {"campaign": c, "usage_type": u, "product_name": p, "pricing_unit": pu, "line_item_type": lt,
         "cost": str(cost), "amount": str(amount), "rows": n}
        for c, u, p, pu, lt, cost, amount, n in rows
    ]
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
