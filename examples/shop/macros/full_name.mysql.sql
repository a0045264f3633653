/* config
# MySQL reads || as OR unless sql_mode has PIPES_AS_CONCAT.
params = ["first", "last"]
*/
CONCAT({{ .first }}, ' ', {{ .last }})
