# Unit tests run a model's SQL on the rows given here instead of its
# inputs, and compare the result with the expected rows (in any order).
# Nothing upstream needs to be built: `weir test --unit`.

unit "daily_revenue_counts_fulfilled_orders" {
  model       = "marts.daily_revenue"
  description = "Open and returned orders are not revenue; the running total adds up day by day."

  given "core.orders" {
    types = { ordered_on = "DATE" }
    rows = [
      { order_id = 1, ordered_on = "2024-03-01", status_group = "fulfilled", paid_amount = 10.5 },
      { order_id = 2, ordered_on = "2024-03-01", status_group = "fulfilled", paid_amount = 4.5 },
      { order_id = 3, ordered_on = "2024-03-01", status_group = "returned", paid_amount = 99 },
      { order_id = 4, ordered_on = "2024-03-02", status_group = "open", paid_amount = 0 },
      { order_id = 5, ordered_on = "2024-03-03", status_group = "fulfilled", paid_amount = 20 },
    ]
  }

  expect {
    rows = [
      { ordered_on = "2024-03-01", orders = 2, revenue = 15, running_revenue = 15 },
      { ordered_on = "2024-03-03", orders = 1, revenue = 20, running_revenue = 35 },
    ]
  }
}

unit "customer_lifetime_value" {
  model = "marts.customers"

  given "staging.customers" {
    csv = <<-CSV
      customer_id,full_name,email,country_code
      1,Ada Lovelace,ada@example.com,GB
      2,Alan Turing,,GB
    CSV
  }
  given "core.orders" {
    types = { ordered_on = "DATE" }
    rows = [
      { customer_id = 1, ordered_on = "2024-03-01", status_group = "fulfilled", paid_amount = 30 },
      { customer_id = 1, ordered_on = "2024-03-05", status_group = "returned", paid_amount = 12 },
    ]
  }
  given "staging.web_events" {
    rows = [{ event_id = 1, customer_id = 2 }]
  }
  given "app.countries" {
    rows = [{ code = "GB", name = "United Kingdom", region = "Europe" }]
  }

  expect {
    rows = [
      { customer_id = 1, country = "United Kingdom", order_count = 2, lifetime_value = 30, first_order_on = "2024-03-01", web_events = 0 },
      { customer_id = 2, country = "United Kingdom", order_count = 0, lifetime_value = 0, first_order_on = null, web_events = 1 },
    ]
  }
}
