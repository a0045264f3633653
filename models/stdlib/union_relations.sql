/* config
description = "UNION ALL of relations on the union of their columns: a column a relation lacks is a NULL of the column's type; _weir_source_relation names the relation of each row."
params      = ["relations..."]
*/
{{ $all := union_columns .relations -}}
{{ range $i, $r := .relations -}}
{{ if $i }}
UNION ALL
{{ end -}}
SELECT CAST({{ literal $r }} AS VARCHAR) AS _weir_source_relation
{{- range $all }}, {{ if .Has $r }}{{ .Ident }}{{ else if .Type }}CAST(NULL AS {{ .Type }}) AS {{ .Ident }}{{ else }}(SELECT {{ .Ident }} FROM {{ ref .From }} LIMIT 0) AS {{ .Ident }}{{ end }}{{ end }}
FROM {{ ref $r }}
{{- end }}
