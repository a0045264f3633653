/* config
description = "A hash of the given columns (NULL hashes as its own value): the same key on every adapter."
params      = ["columns..."]
*/
md5({{ range $i, $c := .columns }}{{ if $i }} || '-' || {{ end }}coalesce(CAST({{ $c }} AS VARCHAR), '_weir_null_'){{ end }})
