-- Stands in for an ingestion tool: creates and fills the two source tables
-- that weir.hcl declares. Portable between DuckDB, Postgres and MySQL, and safe to
-- rerun: the tables are refilled in place, so views reading them survive.
CREATE SCHEMA IF NOT EXISTS app;
CREATE TABLE IF NOT EXISTS app.web_events (id INTEGER, customer_id INTEGER, event_type VARCHAR(40), occurred_at TIMESTAMP);
DELETE FROM app.web_events;
INSERT INTO app.web_events VALUES
  (1, 3, 'page_view', TIMESTAMP '2024-03-02 10:00:00'),
  (2, 3, 'add_to_cart', TIMESTAMP '2024-03-02 10:03:00'),
  (3, 7, 'page_view', TIMESTAMP '2024-03-05 18:20:00'),
  (4, 12, 'page_view', TIMESTAMP '2024-04-01 09:00:00'),
  (5, 12, 'checkout', TIMESTAMP '2024-04-01 09:12:00'),
  (6, 31, 'page_view', TIMESTAMP '2024-04-11 21:45:00'),
  (7, 31, 'add_to_cart', TIMESTAMP '2024-04-11 21:47:00'),
  (8, 44, 'page_view', TIMESTAMP '2024-05-20 07:30:00');
CREATE TABLE IF NOT EXISTS app.countries (code VARCHAR(2), name VARCHAR(60), region VARCHAR(20));
DELETE FROM app.countries;
INSERT INTO app.countries VALUES
  ('NL', 'Netherlands', 'EU'), ('DE', 'Germany', 'EU'), ('FR', 'France', 'EU'),
  ('GB', 'United Kingdom', 'Europe'), ('US', 'United States', 'Americas'),
  ('SE', 'Sweden', 'EU'), ('ES', 'Spain', 'EU'), ('IT', 'Italy', 'EU');
