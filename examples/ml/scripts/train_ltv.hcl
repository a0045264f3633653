# A command node: weir runs it after marts.customer_features is built, and
# again only when that table, this file or train_ltv.sh changes.
description = "Fits lifetime_value = a + b * order_count and scores every customer."
command     = ["sh", "scripts/train_ltv.sh"]
inputs      = ["marts.customer_features"]
outputs     = ["ml.ltv_scores", "target/ml/ltv_model.json"]
retries     = 1
timeout     = "2m"
