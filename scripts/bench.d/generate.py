#!/usr/bin/env python3
"""Writes a synthetic CUR 2.0 (Data Exports) CSV for scripts/bench, with a fixed seed.

One billing month (June 2026), one payer, 40 usage accounts, 61 real CUR 2.0 columns, hourly lines.
About 10% of rows are Bedrock model inference across both usage-type grammars (first-party and
Marketplace) and every token kind; the rest are other services (EC2, S3, Lambda, CloudWatch, ...),
Bedrock AgentCore, taxes, credits and discounts. Thousands of principals, most of them assumed-role
sessions, carry `iamPrincipal/*` tags in the `tags` map cell. Every cost is usage x rate exactly, with
at most 10 decimals, so an exact decimal sum is well defined.

Besides the CSV it writes, next to it:
  <name>.truth.json   what each Bedrock (usage type, product name) means: model, token kind, tier,
                      tokens per pricing unit -- the generator's ground truth for the bench's check;
  unitcost.yaml       the config the bench runs unitcost with (written once per folder).

usage: generate.py ROWS OUT.csv [--seed N]
"""

import argparse
import json
import os
import random
import zlib

MONTH_DAYS = 30
PAYER = "111122223333"
PERIOD_START = "2026-06-01T00:00:00Z"
PERIOD_END = "2026-07-01T00:00:00Z"
LEGAL = '"Amazon Web Services, Inc."'

COLUMNS = [
    "identity_line_item_id", "identity_time_interval", "bill_invoice_id", "bill_invoicing_entity",
    "bill_billing_entity", "bill_bill_type", "bill_payer_account_id", "bill_payer_account_name",
    "bill_billing_period_start_date", "bill_billing_period_end_date", "line_item_usage_account_id",
    "line_item_usage_account_name", "line_item_line_item_type", "line_item_usage_start_date",
    "line_item_usage_end_date", "line_item_product_code", "line_item_usage_type", "line_item_operation",
    "line_item_availability_zone", "line_item_resource_id", "line_item_iam_principal",
    "line_item_usage_amount", "line_item_normalization_factor", "line_item_normalized_usage_amount",
    "line_item_currency_code", "line_item_unblended_rate", "line_item_unblended_cost",
    "line_item_blended_rate", "line_item_blended_cost", "line_item_net_unblended_rate",
    "line_item_net_unblended_cost", "line_item_line_item_description", "line_item_tax_type",
    "line_item_legal_entity", "product", "product_product_family", "product_region_code",
    "product_servicecode", "product_sku", "product_location", "product_location_type",
    "product_from_location", "product_to_location", "product_instance_type", "product_usagetype",
    "product_operation", "pricing_rate_code", "pricing_rate_id", "pricing_currency",
    "pricing_public_on_demand_cost", "pricing_public_on_demand_rate", "pricing_term", "pricing_unit",
    "pricing_purchase_option", "reservation_reservation_a_r_n", "savings_plan_savings_plan_a_r_n",
    "savings_plan_savings_plan_effective_cost", "discount_total_discount", "cost_category",
    "resource_tags", "tags",
]

REGIONS = [
    ("us-east-1", "USE1", "US East (N. Virginia)"),
    ("us-west-2", "USW2", "US West (Oregon)"),
    ("eu-west-1", "EU", "EU (Ireland)"),
    ("ap-northeast-1", "APN1", "Asia Pacific (Tokyo)"),
]

# First-party models: (usage-type model, model id, unit, {kind: rate per unit as (int, decimals)}).
# Rates and amounts are chosen so that amount decimals + rate decimals <= 10: every cost is exact.
FIRST_PARTY = [
    ("Claude4.6Sonnet", "anthropic.claude-sonnet-4-6", "1K tokens",
     {"input": (3, 3), "output": (15, 3), "cache-read": (3, 4), "cache-write": (375, 5)}),
    ("Claude4.6Haiku", "anthropic.claude-haiku-4-6", "1K tokens",
     {"input": (1, 3), "output": (5, 3), "cache-read": (1, 4), "cache-write": (125, 5)}),
    ("Claude4.5Opus", "anthropic.claude-opus-4-5", "1K tokens",
     {"input": (5, 3), "output": (25, 3), "cache-read": (5, 4), "cache-write": (625, 5)}),
    ("NovaPro", "amazon.nova-pro-v1", "1K tokens", {"input": (8, 4), "output": (32, 4), "cache-read": (2, 4)}),
    ("Nova2.0Lite", "amazon.nova-2-lite-v1", "1K tokens", {"input": (3, 5), "output": (12, 5)}),
    ("Llama4Maverick", "meta.llama4-maverick-17b", "1K tokens", {"input": (24, 5), "output": (97, 5)}),
    ("openai.gpt-oss-120b", "openai.gpt-oss-120b", "1M tokens", {"input": (15, 2), "output": (60, 2)}),
]
# Tier / routing suffixes of the first-party grammar and the label reports show for them.
FIRST_PARTY_TIERS = [("", None), ("-cross-region-global", "cross-region-global"), ("-flex", "flex"),
                     ("-batch", "batch"), ("-cross-region-geo", "cross-region-geo")]
KIND_PARTS = {
    "input": ("input-tokens", "input"), "output": ("output-tokens", "output"),
    "cache-read": ("cache-read-input-token-count", "cache_read"),
    "cache-write": ("cache-write-input-token-count", "cache_write"),
}
# Marketplace models: product name and rates per million tokens ("Units").
MARKETPLACE = [
    ("Cohere Command R+ (Amazon Bedrock Edition)", {"Input": (3, 0), "Output": (15, 0)}),
    ("Jamba 1.5 Large (Amazon Bedrock Edition)", {"Input": (2, 0), "Output": (8, 0), "CacheRead": (2, 1)}),
]
MP_KINDS = {"Input": "input", "Output": "output", "CacheRead": "cache_read"}

# Other services: (product code, usage type, operation, unit, rate (int, decimals), family, amount range, decimals).
OTHER = [
    ("AmazonEC2", "BoxUsage:m7i.xlarge", "RunInstances", "Hrs", (2016, 4), "Compute Instance", (1, 1), 0),
    ("AmazonEC2", "BoxUsage:c7g.2xlarge", "RunInstances", "Hrs", (289, 3), "Compute Instance", (1, 1), 0),
    ("AmazonEC2", "EBS:VolumeUsage.gp3", "CreateVolume-Gp3", "GB-Mo", (8, 2), "Storage", (1, 2000), 4),
    ("AmazonEC2", "DataTransfer-Out-Bytes", "RunInstances", "GB", (9, 2), "Data Transfer", (0, 50), 6),
    ("AmazonS3", "TimedStorage-ByteHrs", "StandardStorage", "GB-Mo", (23, 3), "Storage", (0, 5000), 6),
    ("AmazonS3", "Requests-Tier1", "PutObject", "Requests", (5, 6), "API Request", (1, 100000), 0),
    ("AmazonS3", "Requests-Tier2", "GetObject", "Requests", (4, 7), "API Request", (1, 500000), 0),
    ("AWSLambda", "Lambda-GB-Second", "Invoke", "Lambda-GB-Second", (166667, 10), "Serverless", (1, 900000), 0),
    ("AWSLambda", "Request", "Invoke", "Requests", (2, 7), "Serverless", (1, 200000), 0),
    ("AmazonCloudWatch", "CW:MetricMonitorUsage", "MetricStorage", "Metrics", (3, 1), "Metric", (0, 20), 4),
    ("AmazonCloudWatch", "DataProcessing-Bytes", "PutLogEvents", "GB", (5, 1), "Data Payload", (0, 30), 6),
    ("AmazonRDS", "InstanceUsage:db.r6g.large", "CreateDBInstance:0016", "Hrs", (225, 3), "Database Instance", (1, 1), 0),
    ("AmazonDynamoDB", "ReadRequestUnits", "GetItem", "ReadRequestUnits", (125, 9), "Amazon DynamoDB PayPerRequest Throughput", (1, 900000), 0),
    ("awskms", "KMS-Requests", "Decrypt", "Requests", (3, 6), "Encryption Key", (1, 80000), 0),
    ("AmazonECS", "Fargate-vCPU-Hours:perCPU", "FargateTask", "hours", (4048, 5), "Compute", (0, 8), 4),
    ("AmazonSageMaker", "ml.g5.xlarge-Hosting", "RunInstance", "Hrs", (1408, 3), "ML Instance", (1, 1), 0),
]
AGENTCORE = ("AmazonBedrockAgentCore", "USE1-AgentCore-Runtime-vCPU-Hours", "InvokeAgentRuntime", "vCPU-Hours", (895, 4))

WORDS = ("spring summer autumn winter launch promo brand retarget holiday flash loyalty search social video "
         "display audio podcast creator ugc catalog b2b b2c app web email sms ctv dooh partner affiliate "
         "mega black friday cyber prime back school tax travel food auto beauty sport game music").split()
AUDIENCES = ["gen-z", "millennials", "parents", "students", "smb", "enterprise", "gamers", "travelers"]
COST_CENTERS = ["CC-100 Brand", "CC-200 Growth", "CC-300 Performance", "CC-400 Content", "CC-500 Data"]
TEAMS = ["data", "platform", "creative", "ml", "web", "mobile", "growth", "finance"]


def dec(value, scale):
    """`value` x 10^-scale as the shortest plain decimal text (no exponent)."""
    if scale == 0:
        return str(value)
    sign = "-" if value < 0 else ""
    digits = str(abs(value)).rjust(scale + 1, "0")
    whole, frac = digits[:-scale], digits[-scale:].rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def cell(text):
    """A CSV cell: quoted, quotes doubled, when it needs it."""
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def jcell(mapping):
    """A CUR 2.0 map cell: a JSON object inside a quoted CSV cell."""
    return cell(json.dumps(mapping, separators=(",", ":"), ensure_ascii=False))


_memo = {}


def memo(key, make):
    """`make()`, computed once per key: the generator repeats a few thousand distinct cells millions of times."""
    value = _memo.get(key)
    if value is None:
        value = _memo[key] = make()
    return value


def principals(rng, accounts, campaigns):
    """Thousands of callers: (arn, tags dict). Most are assumed-role sessions of a few roles."""
    result = []
    roles = ["creative-gen-prod", "creative-gen-staging", "copywriter-bot", "media-planner", "ad-ops-batch",
             "analytics-notebook", "support-assistant", "translation-svc"]
    for n in range(4000):
        account = accounts[n % len(accounts)][0]
        campaign, creatives = campaigns[rng.randrange(len(campaigns))]
        creative = creatives[rng.randrange(len(creatives))]
        form = rng.random()
        if form < 0.75:
            role = roles[rng.randrange(len(roles))]
            session = f"cmp-{campaign}-cr-{creative}-{n}" if rng.random() < 0.7 else f"user{n}@example.com"
            arn = f"arn:aws:sts::{account}:assumed-role/{role}/{session}"
        elif form < 0.85:
            arn = f"arn:aws:iam::{account}:user/svc-{rng.choice(TEAMS)}-{n}"
        elif form < 0.95:
            arn = f"arn:aws:iam::{account}:role/service-role/{rng.choice(roles)}-{n}"
        else:
            arn = f"arn:aws:sts::{account}:federated-user/agency-{n}"
        kind = rng.random()
        tags = {}
        if kind < 0.80:
            tags["iamPrincipal/campaign"] = campaign
            tags["iamPrincipal/creative"] = creative
            if rng.random() < 0.6:
                tags["iamPrincipal/audience"] = rng.choice(AUDIENCES)
        if kind < 0.95:
            tags["iamPrincipal/cost-center"] = rng.choice(COST_CENTERS)
        result.append((arn, tags))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=20260601)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    accounts = [(f"{444455550000 + 137 * i:012d}", f"media-{['prod', 'staging', 'dev', 'sandbox'][i % 4]}-{i:02d}")
                for i in range(40)]
    campaigns = []
    for i in range(300):
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{26 + i % 3}-{i:03d}"
        campaigns.append((name, [f"cr{j:02d}" for j in range(rng.randint(2, 12))]))
    callers = principals(rng, accounts, campaigns)
    # A few callers do most of the work, as in life.
    caller_weights = [1.0 / (1 + i) ** 0.8 for i in range(len(callers))]
    caller_tags_cells = [jcell(dict(t, **{"accountTag/env": "prod"})) for _, t in callers]
    account_of_caller = [arn.split(":")[4] for arn, _ in callers]

    # Bedrock usage types with their ground truth, and the truth file the bench checks against.
    bedrock = []  # (usage type, product name or "", unit, tokens per unit, rate, truth, model id, region)
    truth = {}
    for model, model_id, unit, kinds in FIRST_PARTY:
        per_unit = {"1K tokens": 1000, "1M tokens": 1000000}[unit]
        for region, prefix, _ in REGIONS[:3]:
            for suffix, label in FIRST_PARTY_TIERS:
                if model.startswith("openai"):
                    suffix, label = "-standard", "mantle/standard"
                for kind, rate in kinds.items():
                    part, kind_name = KIND_PARTS[kind]
                    mantle = "-mantle" if model.startswith("openai") else ""
                    usage_type = f"{prefix}-{model}{mantle}-{part}{suffix}"
                    item = (usage_type, "", unit, per_unit, rate, (model, kind_name, label), model_id, region)
                    bedrock.append(item)
                    truth[f"{usage_type}|"] = {"model": model, "kind": kind_name, "tier": label, "per_unit": per_unit}
    for product_name, kinds in MARKETPLACE:
        model = product_name[: -len(" (Amazon Bedrock Edition)")]
        for routing, label in (("", None), ("_Global", "cross-region-global")):
            for word, rate in kinds.items():
                usage_type = f"USE1-MP:USE1_{word}TokenCount{routing}-Units"
                kind_name = MP_KINDS[word]
                bedrock.append((usage_type, product_name, "Units", 1000000, rate, (model, kind_name, label), "", "us-east-1"))
                truth[f"{usage_type}|{product_name}"] = {"model": model, "kind": kind_name, "tier": label, "per_unit": 1000000}
    guardrail = ("USE1-GuardrailsTextUnit", "", "TextUnits", 0, (15, 2), ("GuardrailsTextUnit", "other", None), "", "us-east-1")
    truth["USE1-GuardrailsTextUnit|"] = {"model": "GuardrailsTextUnit", "kind": "other", "tier": None, "per_unit": 0}
    truth["|"] = {"model": "", "kind": "other", "tier": None, "per_unit": 0}  # Bedrock tax and credits
    bedrock_weights = [8.0 if "Claude4.6" in b[0] else 3.0 if b[1] == "" else 1.0 for b in bedrock]
    # Each caller sticks to one or two models, in one region and tier, as a job or an app does: its
    # rows repeat a few usage types, so the day x caller x usage type keys stay far fewer than the rows.
    profiles = {}
    for i, item in enumerate(bedrock):
        profiles.setdefault((item[5][0], item[5][2], item[7]), []).append(i)
    profile_keys = sorted(profiles, key=str)
    profile_weights = [sum(bedrock_weights[i] for i in profiles[k]) for k in profile_keys]
    caller_items = []
    for _ in callers:
        picked = rng.choices(profile_keys, weights=profile_weights, k=rng.choice((1, 1, 2)))
        caller_items.append([bedrock[i] for k in picked for i in profiles[k]])

    region_names = {r[0]: r[2] for r in REGIONS}
    other_weights = [6, 3, 2, 2, 4, 3, 3, 3, 2, 2, 2, 2, 2, 1, 2, 1]
    resource_tag_sets = []
    for i in range(200):
        team, env = rng.choice(TEAMS), rng.choice(["prod", "staging", "dev"])
        resource_tag_sets.append(({"resourceTags/user:team": team, "resourceTags/user:env": env, "accountTag/env": env},
                                  {"user_team": team, "user_env": env}))
    resource_tag_cells = [(jcell(t), jcell(r)) for t, r in resource_tag_sets]
    cost_category_cells = [jcell({"business-unit": bu}) for bu in ("media", "platform", "shared")]

    invoice = "EUINGB26-000417"
    common_head = (f"{invoice},Amazon Web Services EMEA SARL,{{entity}},Anniversary,{PAYER},Acme Media Group,"
                   f"{PERIOD_START},{PERIOD_END}")
    head_aws = common_head.format(entity="AWS")
    head_mp = common_head.format(entity="AWS Marketplace")
    hours = [(f"2026-06-{d + 1:02d}T{h:02d}:00:00Z",
              f"2026-06-{d + 1:02d}T{h + 1:02d}:00:00Z" if h < 23 else
              (f"2026-06-{d + 2:02d}T00:00:00Z" if d + 1 < MONTH_DAYS else PERIOD_END))
             for d in range(MONTH_DAYS) for h in range(24)]

    out = open(args.out, "w", encoding="utf-8", newline="")
    out.write(",".join(COLUMNS) + "\n")
    write = out.write
    random_ = rng.random
    choices = rng.choices
    randrange = rng.randrange
    bedrock_rows = 0
    batch = 4096
    n = 0
    while n < args.rows:
        k = min(batch, args.rows - n)
        callers_batch = choices(range(len(callers)), weights=caller_weights, k=k)
        bedrock_batch = choices(bedrock, weights=bedrock_weights, k=k)
        other_batch = choices(OTHER, weights=other_weights, k=k)
        lines = []
        for j in range(k):
            row_id = n + j
            start, end = hours[randrange(len(hours))]
            interval = f"{start}/{end}"
            r = random_()
            line_id = f"{row_id:08x}{(row_id * 2654435761) & 0xFFFFFFFF:08x}rty2k"
            if r < 0.10:
                # Bedrock model inference, or now and then a guardrail.
                c = callers_batch[j]
                own = caller_items[c]
                item = guardrail if random_() < 0.02 else own[randrange(len(own))]
                usage_type, product_name, unit, per_unit, (rate, rate_scale), _, model_id, region = item
                account = account_of_caller[c]
                if per_unit == 1000:
                    tokens = randrange(1, 400) * (1000 if random_() < 0.5 else randrange(1, 1000))
                    amount, amount_scale = tokens, 3
                elif per_unit == 1000000:
                    tokens = randrange(1, 3_000_000)
                    amount, amount_scale = tokens, 6
                else:
                    amount, amount_scale = randrange(1, 400), 0
                cost = amount * rate
                cost_scale = amount_scale + rate_scale
                cost10 = cost * 10 ** (10 - cost_scale)
                cost_text = dec(cost, cost_scale)
                # An EDP-style discount on some lines: net = 95% of the cost, kept exact in units of 10^-10.
                net10 = cost10 - cost10 // 20 if random_() < 0.3 else cost10
                principal = callers[c][0] if random_() < 0.95 else ""
                if principal:
                    tags_cell = caller_tags_cells[c]
                    if "iamPrincipal/campaign" not in callers[c][1] and random_() < 0.5:
                        # The campaign from the resource instead (an application inference profile's tag).
                        tags_cell = jcell(dict(callers[c][1], **{"resourceTags/user:campaign": campaigns[c % 300][0]}))
                else:
                    tags_cell = "{}"
                marketplace = product_name != ""
                product_cell = memo(("bedrock product", product_name, region, model_id), lambda: jcell(
                    dict({"product_name": product_name or "Amazon Bedrock", "region": region,
                          "servicename": product_name or "Amazon Bedrock"}, **({"model": model_id} if model_id else {}))))
                resource = f"arn:aws:bedrock:{region}::foundation-model/{model_id}" if model_id else ""
                rate_text = memo(("rate", rate, rate_scale), lambda: dec(rate, rate_scale))
                description = memo(("description", usage_type, region, rate, rate_scale), lambda: cell(
                    f"${rate_text} per {unit} for {usage_type} in {region_names[region]}"))
                lines.append(",".join((
                    line_id, interval, head_mp if marketplace else head_aws, account, f"media-{account[-2:]}", "Usage",
                    start, end, "AWSMarketplace" if marketplace else "AmazonBedrock", usage_type,
                    "InvokeModelInference" if random_() < 0.7 else "Converse", "", resource, principal,
                    dec(amount, amount_scale), "0", "0", "USD", rate_text, cost_text,
                    rate_text, cost_text, rate_text, dec(net10, 10),
                    description, "", LEGAL, product_cell, "Amazon Bedrock", region,
                    "AmazonBedrock", memo(("sku", usage_type), lambda: f"SKU{zlib.crc32(usage_type.encode()) % 10**8:08d}"),
                    region_names[region], "AWS Region",
                    "", "", "", usage_type, "InvokeModelInference", "", "", "USD", cost_text,
                    rate_text, "OnDemand", unit, "", "", "", "0",
                    dec(net10 - cost10, 10) if net10 != cost10 else "0", cost_category_cells[0], "{}", tags_cell,
                )))
                bedrock_rows += 1
                continue
            if r < 0.105:
                product_code, usage_type, operation, unit, (rate, rate_scale) = AGENTCORE
                family, low, high, decimals = "AgentCore", 0, 4, 4
                line_type = "Usage"
            else:
                product_code, usage_type, operation, unit, (rate, rate_scale), family, (low, high), decimals = other_batch[j]
                line_type = "Usage" if r < 0.97 else ("SavingsPlanCoveredUsage" if r < 0.985 else "EdpDiscount")
            amount = randrange(low * 10 ** decimals, high * 10 ** decimals + 1)
            cost = amount * rate
            cost_scale = decimals + rate_scale
            if line_type == "EdpDiscount":
                cost = -cost // 20
            account = accounts[randrange(len(accounts))][0]
            region = REGIONS[randrange(4)][0]
            tags_cell, resource_tags_cell = resource_tag_cells[randrange(200)]
            principal = ""
            if random_() < 0.3:
                c = callers_batch[j]
                principal = callers[c][0]
                tags_cell = caller_tags_cells[c]
            resource = f"arn:aws:ec2:{region}:{account}:instance/i-{row_id:017x}" if product_code == "AmazonEC2" else (
                f"acme-media-{row_id % 997}" if product_code == "AmazonS3" else "")
            cost_text = dec(cost, cost_scale)
            rate_text = memo(("rate", rate, rate_scale), lambda: dec(rate, rate_scale))
            lines.append(",".join((
                line_id, interval, head_aws, account, f"media-{account[-2:]}", line_type, start, end, product_code,
                usage_type, operation, f"{region}a" if product_code in ("AmazonEC2", "AmazonRDS") else "", resource,
                principal, dec(amount, decimals), "8" if product_code == "AmazonEC2" else "0",
                dec(amount * 8, decimals) if product_code == "AmazonEC2" else "0", "USD", rate_text,
                cost_text, rate_text, cost_text, rate_text, cost_text,
                memo(("description", usage_type, region, rate, rate_scale), lambda: cell(
                    f"${rate_text} per {unit} for {usage_type} in {region_names[region]}")), "",
                LEGAL,
                memo(("product", product_code, region), lambda: jcell(
                    {"product_name": product_code, "region": region, "servicename": product_code})), family, region,
                product_code, f"SKU{row_id % 9973:08d}", region_names[region], "AWS Region", "", "",
                "m7i.xlarge" if product_code == "AmazonEC2" else "", usage_type, operation, "", "", "USD",
                cost_text, rate_text, "OnDemand", unit, "", "", "", "0", "0",
                cost_category_cells[row_id % 3], resource_tags_cell, tags_cell,
            )))
        write("\n".join(lines))
        write("\n")
        n += k

    # Monthly Bedrock tax and a promotional credit per account: multi-day lines without a principal.
    tail = []
    for i, (account, _) in enumerate(accounts):
        for line_type, cost10 in (("Tax", 1_234_567_891 * (i + 1)), ("Credit", -987_654_321 * (i + 1))):
            tail.append(",".join((
                f"tail{i:04d}{line_type}", f"{PERIOD_START}/{PERIOD_END}", head_aws, account, f"media-{account[-2:]}",
                line_type, PERIOD_START, PERIOD_END, "AmazonBedrock", "", "", "", "", "", "1", "0", "0", "USD", "",
                dec(cost10, 10), "", dec(cost10, 10), "", dec(cost10, 10), cell(f"{line_type} for Amazon Bedrock"),
                "VAT" if line_type == "Tax" else "", LEGAL,
                jcell({"product_name": "Amazon Bedrock"}), "", "", "AmazonBedrock", "", "", "", "", "", "", "", "",
                "", "", "USD", "", "", "", "", "", "", "", "", "0", cost_category_cells[0], "{}", "{}",
            )))
            bedrock_rows += 1
    write("\n".join(tail) + "\n")
    out.close()
    assert len(COLUMNS) == 61

    base = args.out[: -len(".csv")] if args.out.endswith(".csv") else args.out
    with open(base + ".truth.json", "w") as f:
        json.dump({"rows": args.rows + len(tail), "bedrock_rows": bedrock_rows, "usage_types": truth}, f, indent=1)
    config = os.path.join(os.path.dirname(os.path.abspath(args.out)), "unitcost.yaml")
    with open(config, "w") as f:
        f.write("# Written by scripts/bench.d/generate.py: the config scripts/bench runs unitcost with.\n"
                "currency: USD\ncost_basis: net_unblended\nbilling: [cur.csv]\n"
                "attribution:\n  order: [tags]\n  tags:\n"
                "    - {key: iamPrincipal/campaign, dimension: campaign}\n"
                "    - {key: resourceTags/campaign, dimension: campaign}\n"
                "    - {key: iamPrincipal/creative, dimension: creative}\n"
                "    - {key: iamPrincipal/audience, dimension: audience}\n"
                "    - {key: iamPrincipal/cost-center, dimension: cost_center}\n")


if __name__ == "__main__":
    main()
