/// The columns of the rollup CSV (SPEC §12, docs/scale.md), shared by the query that writes it and the
/// reader that reads it back.
///
/// The rollup keeps CUR 2.0's own column names, so the CUR 2.0 row logic reads it unchanged; the
/// `unitcost_…` columns and `source_rows` are its own. One rollup row is a group of CUR rows with the
/// same key; its amounts are the exact sums of the rows' amounts, each cast to DECIMAL(38,10) (half to
/// even) before summing.
public enum RollupColumns {
    /// The version of the layout, in the column that tells a rollup from a CUR file.
    public static let version = "1"
    /// The column that marks a rollup (its value is `version`).
    public static let versionColumn = "unitcost_rollup_version"
    /// The number of CUR rows in the group.
    public static let sourceRows = "source_rows"
    /// Whole tokens of the group: each row's usage amount × its pricing unit, rounded half to even, summed.
    public static let tokens = "unitcost_tokens"
    /// Rows of the group whose tokens were rounded to a whole number.
    public static let tokensRounded = "unitcost_tokens_rounded_rows"

    /// Key columns, as text: empty for NULL. Non-Bedrock rows keep only the first six (and the product
    /// code), so they collapse to a handful of rows per invoice.
    public static let keys: [String] = [
        "bill_payer_account_id", "bill_billing_entity", "bill_invoice_id", "bill_billing_period_start_date", "line_item_line_item_type",
        "line_item_product_code", "line_item_usage_account_id", "product_product_name", "line_item_usage_type", "pricing_unit",
        "line_item_unblended_rate", "line_item_currency_code", "line_item_resource_id", "line_item_iam_principal", "reservation_reservation_a_r_n",
        "line_item_usage_start_date", "line_item_usage_end_date", "tags", "resource_tags",
    ]
    /// The key columns every row keeps, Bedrock or not: what coverage, finality and the invoice totals need.
    public static let coarseKeys: Set<String> = [
        "bill_payer_account_id", "bill_billing_entity", "bill_invoice_id", "bill_billing_period_start_date", "line_item_line_item_type",
        "line_item_product_code",
    ]
    /// The JSON map columns, kept to the configured keys.
    public static let maps: Set<String> = ["tags", "resource_tags"]

    /// Amount columns, summed: the usage amount and every cost a basis reads (SPEC §6.1).
    public static let amounts: [String] = [
        "line_item_usage_amount", "line_item_unblended_cost", "line_item_net_unblended_cost", "pricing_public_on_demand_cost",
        "savings_plan_savings_plan_effective_cost", "reservation_effective_cost", "savings_plan_total_commitment_to_date",
        "savings_plan_used_commitment",
    ]
    /// Whole-number columns, summed.
    public static let counts: [String] = [sourceRows, tokens, tokensRounded]

    /// The header, in order.
    public static var header: [String] { [versionColumn, sourceRows] + keys + amounts + [tokens, tokensRounded] }
}
