/* config
description = "One column per value: sum(CASE WHEN column = value THEN then ELSE 0 END) AS value; then = 1 counts the rows."
params      = ["column", "then", "values..."]
*/
{{ $col := .column }}{{ $then := .then }}{{ range $i, $v := .values }}{{ if $i }},
{{ end }}sum(CASE WHEN {{ $col }} = {{ literal $v }} THEN {{ $then }} ELSE 0 END) AS {{ ident $v }}{{ end }}
