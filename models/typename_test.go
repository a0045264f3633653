package models

import (
	"strings"
	"testing"
)

// TestCheckTypeName accepts the type names warehouses spell and refuses
// anything that could end a CAST or a column definition.
func TestCheckTypeName(t *testing.T) {
	for _, ok := range []string{
		"integer", "INT", "text", "varchar(20)", "decimal(10,2)", "DECIMAL(10, 2)", "double precision",
		"timestamp with time zone", "timestamp(3) without time zone", "text[]", "integer[3]", "int[][]",
		"myschema.mytype", `"MyType"`, `public."My ""odd"" type"`, "STRUCT(a INT, b VARCHAR[])", "MAP(VARCHAR, INTEGER)",
		"interval day to second", " bigint ", "character varying (10)",
	} {
		if err := CheckTypeName(ok); err != nil {
			t.Errorf("CheckTypeName(%q) = %v, want nil", ok, err)
		}
	}
	for bad, why := range map[string]string{
		"":                                "empty",
		"int); DROP TABLE canary; --":     `unexpected ")" at character 4`,
		"text) AS x FROM t; --":           `unexpected ")"`,
		"int -- comment":                  `unexpected "-"`,
		"int /* c */":                     `unexpected "/"`,
		"varchar('x')":                    `unexpected "'"`,
		"int;":                            `unexpected ";"`,
		"numeric(10":                      "ends early",
		"numeric(10,)":                    `unexpected ")"`,
		`"unclosed`:                       "not closed",
		`""`:                              "empty quoted name",
		"int[x]":                          `unexpected "x"`,
		"1int":                            `unexpected "1"`,
		"a.":                              "ends early",
		"text\\'":                         `unexpected "\\"`,
		"a(b(c(d(e(f(g(h(i(j(1))))))))))": "nested too deep",
		"int) UNION SELECT (1":            `unexpected ")"`,
		"int, secret text":                `unexpected ","`,
		"int\x00":                         `unexpected "\x00"`,
		"timestamp with time zone(3)x)":   `unexpected ")"`,
	} {
		err := CheckTypeName(bad)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("CheckTypeName(%q) = %v, want an error containing %q", bad, err, why)
		}
	}
}
