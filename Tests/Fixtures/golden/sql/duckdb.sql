-- unitcost rollup v1 (SPEC §12, docs/scale.md), dialect duckdb, period 2026-W25
-- Reduces CUR 2.0 to what unitcost reads: Bedrock rows grouped by every column the direct path uses,
-- every other row summed per payer, billing entity, invoice, billing period, line item type and product code.
-- Billing periods read: 2026-06 (the report period and the previous one).
-- Tag keys kept: tags iamPrincipal/campaign, resourceTags/campaign, resourceTags/user:campaign, iamPrincipal/creative, iamPrincipal/audience, iamPrincipal/cost-center; resource_tags user_campaign.
-- Save the result as CSV with its header and list that file under billing: in the config.
WITH src AS (
  SELECT
    COALESCE(CAST(bill_payer_account_id AS VARCHAR), '') AS c_bill_payer_account_id,
    COALESCE(CAST(bill_billing_entity AS VARCHAR), '') AS c_bill_billing_entity,
    COALESCE(CAST(bill_invoice_id AS VARCHAR), '') AS c_bill_invoice_id,
    COALESCE(CAST(bill_billing_period_start_date AS VARCHAR), '') AS c_bill_billing_period_start_date,
    COALESCE(CAST(line_item_line_item_type AS VARCHAR), '') AS c_line_item_line_item_type,
    COALESCE(CAST(line_item_product_code AS VARCHAR), '') AS c_line_item_product_code,
    COALESCE(CAST(line_item_usage_account_id AS VARCHAR), '') AS c_line_item_usage_account_id,
    COALESCE(element_at(product, 'product_name')[1], '') AS c_product_product_name,
    COALESCE(CAST(line_item_usage_type AS VARCHAR), '') AS c_line_item_usage_type,
    COALESCE(CAST(pricing_unit AS VARCHAR), '') AS c_pricing_unit,
    COALESCE(CAST(line_item_unblended_rate AS VARCHAR), '') AS c_line_item_unblended_rate,
    COALESCE(CAST(line_item_currency_code AS VARCHAR), '') AS c_line_item_currency_code,
    COALESCE(CAST(line_item_resource_id AS VARCHAR), '') AS c_line_item_resource_id,
    COALESCE(CAST(line_item_iam_principal AS VARCHAR), '') AS c_line_item_iam_principal,
    COALESCE(CAST(reservation_reservation_a_r_n AS VARCHAR), '') AS c_reservation_reservation_a_r_n,
    COALESCE(CAST(line_item_usage_start_date AS VARCHAR), '') AS c_line_item_usage_start_date,
    COALESCE(CAST(line_item_usage_end_date AS VARCHAR), '') AS c_line_item_usage_end_date,
    COALESCE(CAST(to_json(map_from_entries(list_filter(map_entries(tags), lambda e: e.key IN ('iamPrincipal/campaign', 'resourceTags/campaign', 'resourceTags/user:campaign', 'iamPrincipal/creative', 'iamPrincipal/audience', 'iamPrincipal/cost-center')))) AS VARCHAR), '') AS c_tags,
    COALESCE(CAST(to_json(map_from_entries(list_filter(map_entries(resource_tags), lambda e: e.key IN ('user_campaign')))) AS VARCHAR), '') AS c_resource_tags,
    CAST(CAST(line_item_usage_amount AS VARCHAR) AS DECIMAL(38,24)) AS x_line_item_usage_amount,
    CAST(CAST(line_item_unblended_cost AS VARCHAR) AS DECIMAL(38,24)) AS x_line_item_unblended_cost,
    CAST(CAST(line_item_net_unblended_cost AS VARCHAR) AS DECIMAL(38,24)) AS x_line_item_net_unblended_cost,
    CAST(CAST(pricing_public_on_demand_cost AS VARCHAR) AS DECIMAL(38,24)) AS x_pricing_public_on_demand_cost,
    CAST(CAST(savings_plan_savings_plan_effective_cost AS VARCHAR) AS DECIMAL(38,24)) AS x_savings_plan_savings_plan_effective_cost,
    CAST(CAST(reservation_effective_cost AS VARCHAR) AS DECIMAL(38,24)) AS x_reservation_effective_cost,
    CAST(CAST(savings_plan_total_commitment_to_date AS VARCHAR) AS DECIMAL(38,24)) AS x_savings_plan_total_commitment_to_date,
    CAST(CAST(savings_plan_used_commitment AS VARCHAR) AS DECIMAL(38,24)) AS x_savings_plan_used_commitment,
    CASE lower(trim(CAST(pricing_unit AS VARCHAR))) WHEN '1,000 tokens' THEN CAST(1000 AS DECIMAL(7,0)) WHEN '1,000,000 tokens' THEN CAST(1000000 AS DECIMAL(7,0)) WHEN '1000 tokens' THEN CAST(1000 AS DECIMAL(7,0)) WHEN '1000000 tokens' THEN CAST(1000000 AS DECIMAL(7,0)) WHEN '1k token' THEN CAST(1000 AS DECIMAL(7,0)) WHEN '1k tokens' THEN CAST(1000 AS DECIMAL(7,0)) WHEN '1m token' THEN CAST(1000000 AS DECIMAL(7,0)) WHEN '1m tokens' THEN CAST(1000000 AS DECIMAL(7,0)) WHEN 'token' THEN CAST(1 AS DECIMAL(7,0)) WHEN 'tokens' THEN CAST(1 AS DECIMAL(7,0)) WHEN 'units' THEN CAST(1000000 AS DECIMAL(7,0)) END AS unit_tokens
  FROM cur2
  WHERE substr(CAST(bill_billing_period_start_date AS VARCHAR), 1, 7) IN ('2026-06')
), rnd AS (
  SELECT
    src.*,
    (c_line_item_product_code LIKE '%Bedrock%' OR c_product_product_name LIKE '%Bedrock%') AS fine,
    CASE WHEN (length(c_line_item_usage_start_date) >= 10 AND length(c_line_item_usage_end_date) >= 19 AND (substr(c_line_item_usage_end_date, 1, 10) = substr(c_line_item_usage_start_date, 1, 10) OR (substr(c_line_item_usage_end_date, 12, 8) = '00:00:00' AND CAST(substr(c_line_item_usage_end_date, 1, 10) AS DATE) = (CAST(substr(c_line_item_usage_start_date, 1, 10) AS DATE) + 1)))) THEN substr(c_line_item_usage_start_date, 1, 10) END AS within_day,
    CAST(round(x_line_item_usage_amount, 10) AS DECIMAL(37,10)) AS r_line_item_usage_amount,
    CAST(round(x_line_item_unblended_cost, 10) AS DECIMAL(37,10)) AS r_line_item_unblended_cost,
    CAST(round(x_line_item_net_unblended_cost, 10) AS DECIMAL(37,10)) AS r_line_item_net_unblended_cost,
    CAST(round(x_pricing_public_on_demand_cost, 10) AS DECIMAL(37,10)) AS r_pricing_public_on_demand_cost,
    CAST(round(x_savings_plan_savings_plan_effective_cost, 10) AS DECIMAL(37,10)) AS r_savings_plan_savings_plan_effective_cost,
    CAST(round(x_reservation_effective_cost, 10) AS DECIMAL(37,10)) AS r_reservation_effective_cost,
    CAST(round(x_savings_plan_total_commitment_to_date, 10) AS DECIMAL(37,10)) AS r_savings_plan_total_commitment_to_date,
    CAST(round(x_savings_plan_used_commitment, 10) AS DECIMAL(37,10)) AS r_savings_plan_used_commitment
  FROM src
), exact AS (
  SELECT
    c_bill_payer_account_id AS k_bill_payer_account_id,
    c_bill_billing_entity AS k_bill_billing_entity,
    c_bill_invoice_id AS k_bill_invoice_id,
    c_bill_billing_period_start_date AS k_bill_billing_period_start_date,
    c_line_item_line_item_type AS k_line_item_line_item_type,
    c_line_item_product_code AS k_line_item_product_code,
    CASE WHEN fine THEN c_line_item_usage_account_id ELSE '' END AS k_line_item_usage_account_id,
    CASE WHEN fine THEN c_product_product_name ELSE '' END AS k_product_product_name,
    CASE WHEN fine THEN c_line_item_usage_type ELSE '' END AS k_line_item_usage_type,
    CASE WHEN fine THEN c_pricing_unit ELSE '' END AS k_pricing_unit,
    CASE WHEN fine THEN c_line_item_unblended_rate ELSE '' END AS k_line_item_unblended_rate,
    CASE WHEN fine THEN c_line_item_currency_code ELSE '' END AS k_line_item_currency_code,
    CASE WHEN fine THEN c_line_item_resource_id ELSE '' END AS k_line_item_resource_id,
    CASE WHEN fine THEN c_line_item_iam_principal ELSE '' END AS k_line_item_iam_principal,
    CASE WHEN fine THEN c_reservation_reservation_a_r_n ELSE '' END AS k_reservation_reservation_a_r_n,
    CASE WHEN fine THEN COALESCE(within_day, c_line_item_usage_start_date) ELSE '' END AS k_line_item_usage_start_date,
    c_line_item_usage_start_date AS v_line_item_usage_start_date,
    CASE WHEN fine AND within_day IS NULL THEN c_line_item_usage_end_date ELSE '' END AS k_line_item_usage_end_date,
    c_line_item_usage_end_date AS v_line_item_usage_end_date,
    CASE WHEN fine THEN c_tags ELSE '' END AS k_tags,
    CASE WHEN fine THEN c_resource_tags ELSE '' END AS k_resource_tags,
    CAST(CASE WHEN abs(x_line_item_usage_amount - CAST(r_line_item_usage_amount AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_line_item_usage_amount * 10000000000) % 2 = 1
      THEN r_line_item_usage_amount - (CASE WHEN x_line_item_usage_amount < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_line_item_usage_amount END AS DECIMAL(38,10)) AS a_line_item_usage_amount,
    CAST(CASE WHEN abs(x_line_item_unblended_cost - CAST(r_line_item_unblended_cost AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_line_item_unblended_cost * 10000000000) % 2 = 1
      THEN r_line_item_unblended_cost - (CASE WHEN x_line_item_unblended_cost < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_line_item_unblended_cost END AS DECIMAL(38,10)) AS a_line_item_unblended_cost,
    CAST(CASE WHEN abs(x_line_item_net_unblended_cost - CAST(r_line_item_net_unblended_cost AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_line_item_net_unblended_cost * 10000000000) % 2 = 1
      THEN r_line_item_net_unblended_cost - (CASE WHEN x_line_item_net_unblended_cost < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_line_item_net_unblended_cost END AS DECIMAL(38,10)) AS a_line_item_net_unblended_cost,
    CAST(CASE WHEN abs(x_pricing_public_on_demand_cost - CAST(r_pricing_public_on_demand_cost AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_pricing_public_on_demand_cost * 10000000000) % 2 = 1
      THEN r_pricing_public_on_demand_cost - (CASE WHEN x_pricing_public_on_demand_cost < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_pricing_public_on_demand_cost END AS DECIMAL(38,10)) AS a_pricing_public_on_demand_cost,
    CAST(CASE WHEN abs(x_savings_plan_savings_plan_effective_cost - CAST(r_savings_plan_savings_plan_effective_cost AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_savings_plan_savings_plan_effective_cost * 10000000000) % 2 = 1
      THEN r_savings_plan_savings_plan_effective_cost - (CASE WHEN x_savings_plan_savings_plan_effective_cost < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_savings_plan_savings_plan_effective_cost END AS DECIMAL(38,10)) AS a_savings_plan_savings_plan_effective_cost,
    CAST(CASE WHEN abs(x_reservation_effective_cost - CAST(r_reservation_effective_cost AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_reservation_effective_cost * 10000000000) % 2 = 1
      THEN r_reservation_effective_cost - (CASE WHEN x_reservation_effective_cost < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_reservation_effective_cost END AS DECIMAL(38,10)) AS a_reservation_effective_cost,
    CAST(CASE WHEN abs(x_savings_plan_total_commitment_to_date - CAST(r_savings_plan_total_commitment_to_date AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_savings_plan_total_commitment_to_date * 10000000000) % 2 = 1
      THEN r_savings_plan_total_commitment_to_date - (CASE WHEN x_savings_plan_total_commitment_to_date < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_savings_plan_total_commitment_to_date END AS DECIMAL(38,10)) AS a_savings_plan_total_commitment_to_date,
    CAST(CASE WHEN abs(x_savings_plan_used_commitment - CAST(r_savings_plan_used_commitment AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_savings_plan_used_commitment * 10000000000) % 2 = 1
      THEN r_savings_plan_used_commitment - (CASE WHEN x_savings_plan_used_commitment < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_savings_plan_used_commitment END AS DECIMAL(38,10)) AS a_savings_plan_used_commitment,
    CASE WHEN fine THEN unit_tokens END AS m_tokens
  FROM rnd
), tok AS (
  SELECT
    exact.*,
    (CAST(a_line_item_usage_amount AS DECIMAL(28,10)) * m_tokens) AS t_tokens,
    CAST(round((CAST(a_line_item_usage_amount AS DECIMAL(28,10)) * m_tokens), 0) AS DECIMAL(26,0)) AS tr_tokens
  FROM exact
)
SELECT
  '1' AS unitcost_rollup_version,
  COUNT(*) AS source_rows,
  k_bill_payer_account_id AS bill_payer_account_id,
  k_bill_billing_entity AS bill_billing_entity,
  k_bill_invoice_id AS bill_invoice_id,
  k_bill_billing_period_start_date AS bill_billing_period_start_date,
  k_line_item_line_item_type AS line_item_line_item_type,
  k_line_item_product_code AS line_item_product_code,
  k_line_item_usage_account_id AS line_item_usage_account_id,
  k_product_product_name AS product_product_name,
  k_line_item_usage_type AS line_item_usage_type,
  k_pricing_unit AS pricing_unit,
  k_line_item_unblended_rate AS line_item_unblended_rate,
  k_line_item_currency_code AS line_item_currency_code,
  k_line_item_resource_id AS line_item_resource_id,
  k_line_item_iam_principal AS line_item_iam_principal,
  k_reservation_reservation_a_r_n AS reservation_reservation_a_r_n,
  MIN(v_line_item_usage_start_date) AS line_item_usage_start_date,
  MAX(v_line_item_usage_end_date) AS line_item_usage_end_date,
  k_tags AS tags,
  k_resource_tags AS resource_tags,
  SUM(a_line_item_usage_amount) AS line_item_usage_amount,
  SUM(a_line_item_unblended_cost) AS line_item_unblended_cost,
  SUM(a_line_item_net_unblended_cost) AS line_item_net_unblended_cost,
  SUM(a_pricing_public_on_demand_cost) AS pricing_public_on_demand_cost,
  SUM(a_savings_plan_savings_plan_effective_cost) AS savings_plan_savings_plan_effective_cost,
  SUM(a_reservation_effective_cost) AS reservation_effective_cost,
  SUM(a_savings_plan_total_commitment_to_date) AS savings_plan_total_commitment_to_date,
  SUM(a_savings_plan_used_commitment) AS savings_plan_used_commitment,
  SUM(CAST(CASE WHEN abs(t_tokens - tr_tokens) = 0.5 AND abs(tr_tokens) % 2 = 1
      THEN tr_tokens - (CASE WHEN t_tokens < 0 THEN -1 ELSE 1 END) ELSE tr_tokens END AS BIGINT)) AS unitcost_tokens,
  SUM(CASE WHEN t_tokens <> tr_tokens THEN 1 ELSE 0 END) AS unitcost_tokens_rounded_rows
FROM tok
GROUP BY
  k_bill_payer_account_id,
  k_bill_billing_entity,
  k_bill_invoice_id,
  k_bill_billing_period_start_date,
  k_line_item_line_item_type,
  k_line_item_product_code,
  k_line_item_usage_account_id,
  k_product_product_name,
  k_line_item_usage_type,
  k_pricing_unit,
  k_line_item_unblended_rate,
  k_line_item_currency_code,
  k_line_item_resource_id,
  k_line_item_iam_principal,
  k_reservation_reservation_a_r_n,
  k_line_item_usage_start_date,
  k_line_item_usage_end_date,
  k_tags,
  k_resource_tags,
  (a_line_item_usage_amount IS NULL),
  (a_line_item_unblended_cost IS NULL),
  (a_line_item_net_unblended_cost IS NULL),
  (a_pricing_public_on_demand_cost IS NULL),
  (a_savings_plan_savings_plan_effective_cost IS NULL),
  (a_reservation_effective_cost IS NULL),
  (a_savings_plan_total_commitment_to_date IS NULL),
  (a_savings_plan_used_commitment IS NULL)
ORDER BY
  bill_payer_account_id,
  bill_billing_entity,
  bill_invoice_id,
  bill_billing_period_start_date,
  line_item_line_item_type,
  line_item_product_code,
  line_item_usage_account_id,
  product_product_name,
  line_item_usage_type,
  pricing_unit,
  line_item_unblended_rate,
  line_item_currency_code,
  line_item_resource_id,
  line_item_iam_principal,
  reservation_reservation_a_r_n,
  line_item_usage_start_date,
  line_item_usage_end_date,
  tags,
  resource_tags
