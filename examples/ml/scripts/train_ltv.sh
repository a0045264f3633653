#!/bin/sh
# Trains a one-feature linear model by least squares on the customer
# features weir wrote to $WEIR_IN, writes the model to target/ml and a
# score per customer to $WEIR_OUT/ml.ltv_scores.csv, which weir loads as
# the table ml.ltv_scores.
set -eu
mkdir -p target/ml
awk -F, -v model=target/ml/ltv_model.json -v out="$WEIR_OUT/ml.ltv_scores.csv" '
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
    n++
    id[n] = $col["customer_id"]; x[n] = $col["order_count"]; y[n] = $col["lifetime_value"]
    sx += x[n]; sy += y[n]; sxx += x[n] * x[n]; sxy += x[n] * y[n]
}
END {
    if (n < 2 || n * sxx == sx * sx) { print "need two customers with different order counts" > "/dev/stderr"; exit 1 }
    b = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    a = (sy - b * sx) / n
    printf "{\"intercept\": %.4f, \"per_order\": %.4f, \"trained_on\": %d}\n", a, b, n > model
    print "customer_id,predicted_value" > out
    for (i = 1; i <= n; i++) printf "%s,%.2f\n", id[i], a + b * x[i] > out
    printf "trained on %d customers: value = %.2f + %.2f * orders\n", n, a, b
}' "$WEIR_IN/marts.customer_features.csv"
