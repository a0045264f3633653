package adapters

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestRedactedDSN(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://alice:s3cret@db.example.com:5432/shop?sslmode=require",
			"postgres://alice:xxxxx@db.example.com:5432/shop?sslmode=require"},
		{"postgres://alice@db/shop", "postgres://alice@db/shop"},
		{"postgresql://alice:p%40ss%2Fw@db/shop", "postgresql://alice:xxxxx@db/shop"},
		{"postgres://db/shop?user=alice&password=s3cret&sslpassword=k3y",
			"postgres://db/shop?password=xxxxx&sslpassword=xxxxx&user=alice"},
		{"host=db user=alice password=s3cret dbname=shop", "host=db user=alice password=xxxxx dbname=shop"},
		{"host=db password = 's3 cr\\'et' dbname=shop", "host=db password = xxxxx dbname=shop"},
		{"host=db sslpassword=k3y PASSWORD=s3cret", "host=db sslpassword=xxxxx PASSWORD=xxxxx"},
		{"host=db dbname=shop", "host=db dbname=shop"},
		// Not a URL net/url accepts (bad port): the userinfo is still masked.
		{"postgres://alice:s3cret@db:port/shop", "postgres://alice:xxxxx@db:port/shop"},
		{"", ""},
	}
	for _, c := range cases {
		if got := RedactedDSN(c.in); got != c.want {
			t.Errorf("RedactedDSN(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestDSNSecretsAndScrub(t *testing.T) {
	cases := []struct {
		dsn    string
		leaked string // how the secret shows in a driver's message
	}{
		{"postgres://alice:s3cret@db/shop", "s3cret"},
		{"postgres://alice:p%40ss%2Fw@db/shop", "p@ss/w"},
		{"postgres://alice:p%40ss%2Fw@db/shop", "p%40ss%2Fw"},
		{"postgres://db/shop?password=s3%20cret", "s3 cret"},
		{`host=db password='it\'s a \\ secret' dbname=x`, `it's a \ secret`},
		{"host=db password=plain dbname=x", "plain"},
	}
	for _, c := range cases {
		secrets := DSNSecrets(c.dsn)
		base := fmt.Errorf("dial %s failed: %w", c.dsn, io.ErrUnexpectedEOF)
		leak := fmt.Errorf("auth as %s failed: %w", c.leaked, io.ErrUnexpectedEOF)
		for _, err := range []error{base, leak} {
			got := ScrubError(err, secrets)
			if strings.Contains(got.Error(), c.leaked) {
				t.Errorf("DSN %q: scrubbed message still holds the secret: %s (secrets %q)", c.dsn, got, secrets)
			}
			if !errors.Is(got, io.ErrUnexpectedEOF) {
				t.Errorf("DSN %q: the scrubbed error no longer wraps the driver's", c.dsn)
			}
		}
	}
	plain := errors.New("nothing to hide")
	if ScrubError(plain, DSNSecrets("postgres://a:b1234@h/d")) != plain {
		t.Error("an error without a secret should come back as is")
	}
	if ScrubError(nil, []string{"x"}) != nil {
		t.Error("ScrubError(nil) should be nil")
	}
}

func TestPositionError(t *testing.T) {
	inner := errors.New(`column "nope" does not exist`)
	var err error = fmt.Errorf("building x: %w", &PositionError{Err: inner, Offset: 7, SQL: "SELECT nope"})
	var pe *PositionError
	if !errors.As(err, &pe) || pe.Offset != 7 || !errors.Is(err, inner) || pe.Error() != inner.Error() {
		t.Fatalf("PositionError does not wrap as documented: %v", err)
	}
}

func TestRedactText(t *testing.T) {
	cases := []struct{ in, want string }{
		{`  dns = "postgres://alice:hunter2@db/shop"`, `  dns = "postgres://alice:xxxxx@db/shop"`},
		{`conn = "host=db password=s3cret dbname=shop"`, `conn = "host=db password=xxxxx dbname=shop"`},
		{`password = "s3 cret"`, `password = xxxxx`},
		{`{"password": "s3cret", "user": "a"}`, `{"password": xxxxx, "user": "a"}`},
		{`x = "mysql://root:p@ss@127.0.0.1/db" # note`, `x = "mysql://root:xxxxx@127.0.0.1/db" # note`},
		{`postgres://db/shop?user=a&sslpassword=k3y&x=1`, `postgres://db/shop?user=a&sslpassword=xxxxx&x=1`},
		{`SELECT 1 AS id`, `SELECT 1 AS id`},
		{`https://example.com/a:b`, `https://example.com/a:b`},
	}
	for _, c := range cases {
		if got := RedactText(c.in); got != c.want {
			t.Errorf("RedactText(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
