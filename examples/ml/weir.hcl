# The ml example: a command node between two models. marts.customer_features
# is a mart; scripts/train_ltv.hcl trains a small model on it (least squares,
# in awk) and writes a score per customer back as the table ml.ltv_scores,
# which marts.customer_scores reads.
name           = "ml"
default_target = "dev"

target "dev" {
  adapter = "duckdb"
  path    = "warehouse.duckdb"
}

# Postgres: WEIR_PG_DSN="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
target "pg" {
  adapter       = "postgres"
  dsn           = env("WEIR_PG_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
  schema_prefix = "ml_"
}
