/* config
params = ["first", "last"]
*/
{{ .first }} || ' ' || {{ .last }}
