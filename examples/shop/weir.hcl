# The shop example: seeds of customers, orders and payments, two source
# tables that an ingestion tool "already loaded" (setup.sql creates them),
# and staging, core and marts models on top.
name           = "shop"
default_target = "dev"

target "dev" {
  adapter = "duckdb"
  path    = "warehouse.duckdb" # beside weir.hcl: rm -rf target loses no data
  threads = 4
}

# Postgres: WEIR_PG_DSN="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
target "pg" {
  adapter       = "postgres"
  dsn           = env("WEIR_PG_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
  schema_prefix = "shop_"
  threads       = 4
}

# MySQL, MariaDB or TiDB: WEIR_MYSQL_DSN="root@tcp(127.0.0.1:3306)/test";
# load setup.sql with: weir query --target mysql --file setup.sql
target "mysql" {
  adapter       = "mysql"
  dsn           = env("WEIR_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test")
  schema_prefix = "shop_"
  threads       = 4
}

vars = {
  # Orders before this day are ignored everywhere.
  start_date = "2024-03-01"
}

# Tables loaded by another tool; weir reads them and never writes them.
source "app" {
  table "web_events" {
    description = "Clickstream from the web shop, one row per event."
    loaded_at   = "occurred_at"
    column "id" {
      test "not_null" {}
      test "unique" {}
    }
  }
  table "countries" {
    description = "ISO country codes with their names and regions."
    column "code" {
      test "unique" {}
    }
  }
}

seed "raw.customers" {
  description = "Customers as exported from the CRM."
  column_types = {
    signed_up_at = "DATE"
  }
}

seed "raw.payments" {
  column_types = {
    amount_cents = "BIGINT"
  }
  column "id" {
    test "unique" {}
  }
  column "amount_cents" {
    # A custom test: tests/generic/at_least.sql.
    test "at_least" { min = 1 }
  }
}

# Staging models are thin renames over one table each: views are enough.
folder "staging" {
  materialized = "view"
  tags         = ["staging"]
}

folder "marts" {
  tags = ["marts"]
}
