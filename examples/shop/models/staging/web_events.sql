SELECT id AS event_id, customer_id, event_type, occurred_at
FROM app.web_events -- loaded by the ingestion tool
