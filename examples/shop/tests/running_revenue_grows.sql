-- A singular test: the running total never goes down, since no day's
-- revenue is negative. It returns the days where it would.
SELECT ordered_on, running_revenue, previous_running_revenue
FROM (
    SELECT
        ordered_on,
        running_revenue,
        LAG(running_revenue) OVER (ORDER BY ordered_on) AS previous_running_revenue
    FROM marts.daily_revenue
) AS days
WHERE running_revenue < previous_running_revenue
