"""The CUR 2.0 columns the rollup query reads, shared by the DuckDB and Spark stand-ins."""

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
