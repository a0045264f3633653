package mysql

import (
	"strings"
	"testing"
)

func TestParseDSN(t *testing.T) {
	for _, c := range []struct{ dsn, user, pass, addr, db string }{
		{"root@tcp(127.0.0.1:3306)/test", "root", "", "127.0.0.1:3306", "test"},
		{"u:p%40ss@tcp(db.example:4000)/shop?timeout=5s", "u", "p%40ss", "db.example:4000", "shop"},
		{"mysql://u:p%40ss@db.example/shop", "u", "p@ss", "db.example:3306", "shop"},
		{"mysql://root@127.0.0.1:4000/test?timeout=5s", "root", "", "127.0.0.1:4000", "test"},
	} {
		cfg, err := ParseDSN(c.dsn, false)
		if err != nil {
			t.Errorf("%s: %v", c.dsn, err)
			continue
		}
		if cfg.User != c.user || cfg.Passwd != c.pass || cfg.Addr != c.addr || cfg.DBName != c.db || !cfg.ParseTime {
			t.Errorf("%s: user %q pass %q addr %q db %q parseTime %v", c.dsn, cfg.User, cfg.Passwd, cfg.Addr, cfg.DBName, cfg.ParseTime)
		}
		if strings.Contains(cfg.Params["sql_mode"], "',ANSI_QUOTES'") {
			t.Errorf("%s: ANSI_QUOTES set without ansi_quotes", c.dsn)
		}
	}
	cfg, _ := ParseDSN("root@tcp(127.0.0.1:3306)/test", true)
	if !strings.Contains(cfg.Params["sql_mode"], "',ANSI_QUOTES'") {
		t.Errorf("ansi_quotes = true: sql_mode %s", cfg.Params["sql_mode"])
	}
	if _, err := ParseDSN("", false); err == nil || !strings.Contains(err.Error(), "WEIR_MYSQL_DSN") {
		t.Errorf("empty dsn: %v", err)
	}
}
