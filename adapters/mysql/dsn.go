package mysql

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// ParseDSN reads a dsn in the driver's form (user:pw@tcp(host:3306)/db?…)
// or as a URL (mysql://user:pw@host:3306/db?…), and sets what weir's
// sessions rely on: times read as time.Time in UTC, the session time zone
// UTC, and a sql_mode without NO_BACKSLASH_ESCAPES (weir writes a
// backslash in a literal as \\) and with ANSI_QUOTES when ansiQuotes is
// set (a target's ansi_quotes = true: "x" is then an identifier, as the
// dependency parser reads it too).
func ParseDSN(dsn string, ansiQuotes bool) (*mysql.Config, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, fmt.Errorf(`no dsn; set dsn = env("WEIR_MYSQL_DSN") in the target and export WEIR_MYSQL_DSN="user:password@tcp(host:3306)/db" (or mysql://user:password@host:3306/db)`)
	}
	var cfg *mysql.Config
	var err error
	if strings.HasPrefix(dsn, "mysql://") || strings.HasPrefix(dsn, "mariadb://") || strings.HasPrefix(dsn, "tidb://") {
		cfg, err = fromURL(dsn)
	} else {
		cfg, err = mysql.ParseDSN(dsn)
	}
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.MultiStatements = false
	cfg.ClientFoundRows = true // an UPDATE counts the rows it matched, as elsewhere
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	cfg.Params["sql_mode"] = sessionSQLMode(ansiQuotes)
	return cfg, nil
}

// sessionSQLMode is the expression each session sets its sql_mode to: the
// server's, without NO_BACKSLASH_ESCAPES, with ANSI_QUOTES added or taken
// away as the target says.
func sessionSQLMode(ansiQuotes bool) string {
	mode := "REPLACE(REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', ''), 'ANSI_QUOTES', '')"
	if ansiQuotes {
		mode = "CONCAT(" + mode + ", ',ANSI_QUOTES')"
	}
	// An emptied entry leaves ",," behind, which MySQL refuses: trim them.
	return "TRIM(BOTH ',' FROM REPLACE(REPLACE(" + mode + ", ',,', ','), ',,', ','))"
}

// fromURL reads mysql://user:pw@host:port/db?param=value into a driver
// config; a host without a port gets 3306, and a host starting with / is a
// Unix socket.
func fromURL(dsn string) (*mysql.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("dsn is not a valid URL: %w", err)
	}
	cfg, err := mysql.ParseDSN("/" + strings.TrimPrefix(u.Path, "/") + queryPart(u))
	if err != nil {
		return nil, err
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	host := u.Host
	if sock := u.Query().Get("socket"); sock != "" {
		cfg.Net, cfg.Addr = "unix", sock
		delete(cfg.Params, "socket")
		return cfg, nil
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if u.Port() == "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), "3306")
	}
	cfg.Net, cfg.Addr = "tcp", host
	return cfg, nil
}

func queryPart(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}
