-- Stands in for an ingestion tool: creates the two source tables that
-- weir.hcl declares. Portable between DuckDB and Postgres.
CREATE SCHEMA IF NOT EXISTS app;
DROP TABLE IF EXISTS app.web_events;
CREATE TABLE app.web_events AS
SELECT * FROM (VALUES
  (1, 3, 'page_view', TIMESTAMP '2024-03-02 10:00:00'),
  (2, 3, 'add_to_cart', TIMESTAMP '2024-03-02 10:03:00'),
  (3, 7, 'page_view', TIMESTAMP '2024-03-05 18:20:00'),
  (4, 12, 'page_view', TIMESTAMP '2024-04-01 09:00:00'),
  (5, 12, 'checkout', TIMESTAMP '2024-04-01 09:12:00'),
  (6, 31, 'page_view', TIMESTAMP '2024-04-11 21:45:00'),
  (7, 31, 'add_to_cart', TIMESTAMP '2024-04-11 21:47:00'),
  (8, 44, 'page_view', TIMESTAMP '2024-05-20 07:30:00')
) AS e (id, customer_id, event_type, occurred_at);
DROP TABLE IF EXISTS app.countries;
CREATE TABLE app.countries AS
SELECT * FROM (VALUES
  ('NL', 'Netherlands', 'EU'), ('DE', 'Germany', 'EU'), ('FR', 'France', 'EU'),
  ('GB', 'United Kingdom', 'Europe'), ('US', 'United States', 'Americas'),
  ('SE', 'Sweden', 'EU'), ('ES', 'Spain', 'EU'), ('IT', 'Italy', 'EU')
) AS c (code, name, region);
