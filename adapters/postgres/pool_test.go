package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/models"
)

// TestPoolWarm: opening a target of 4 threads opens the 4 model threads'
// connections in the background, before any model asks for one.
func TestPoolWarm(t *testing.T) {
	admin := server.Admin(t)
	b := make([]byte, 5)
	rand.Read(b)
	app := "weirwarm" + hex.EncodeToString(b)
	sep := "?"
	if strings.Contains(server.DSN(), "?") {
		sep = "&"
	}
	a, err := Open(&models.Target{Name: "t", DSN: server.DSN() + sep + "application_name=" + app, Threads: 4}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var n int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= 4 {
			return
		}
	}
	t.Fatalf("%d sessions open after 10 s, want the 4 model threads'", n)
}
