/* config
description = "The columns of a relation, quoted and comma-separated, less the ones named: SELECT without * EXCLUDE, on every adapter."
params      = ["relation", "except..."]
*/
{{ range $i, $c := columns .relation .except }}{{ if $i }}, {{ end }}{{ $c.Ident }}{{ end }}
