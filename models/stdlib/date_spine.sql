/* config
description = "One row per datepart (day, week, month, year) from start up to, not including, end: a column date_DATEPART of type DATE."
params      = ["datepart", "start", "end"]
*/
SELECT CAST(d AS DATE) AS date_{{ .datepart }}
FROM generate_series(CAST({{ .start }} AS TIMESTAMP), CAST({{ .end }} AS TIMESTAMP) - INTERVAL '1 {{ .datepart }}', INTERVAL '1 {{ .datepart }}') AS spine(d)
