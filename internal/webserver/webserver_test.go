package webserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestCheckRefusesOpenBindWithoutToken(t *testing.T) {
	for _, c := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{Bind: "127.0.0.1"}, true},
		{Config{Bind: "localhost"}, true},
		{Config{Bind: "::1"}, true},
		{Config{Bind: "0.0.0.0"}, false},
		{Config{Bind: "192.168.1.5"}, false},
		{Config{Bind: "0.0.0.0", Token: "s3cret"}, true},
		{Config{Port: 70000}, false},
	} {
		err := c.cfg.Check()
		if (err == nil) != c.ok {
			t.Errorf("%+v: Check() = %v, want ok=%v", c.cfg, err, c.ok)
		}
		if err != nil && c.cfg.Port == 0 && !strings.Contains(err.Error(), TokenEnv) {
			t.Errorf("%+v: message does not say how to set a token: %v", c.cfg, err)
		}
	}
	if _, err := Listen(Config{Bind: "0.0.0.0"}); err == nil {
		t.Fatal("Listen on 0.0.0.0 without a token succeeded")
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(TokenEnv, "from-env")
	if got := (Config{}).FromEnv().Token; got != "from-env" {
		t.Fatalf("token %q", got)
	}
	if got := (Config{Token: "given"}).FromEnv().Token; got != "given" {
		t.Fatalf("token %q", got)
	}
}

// serve starts h on a free loopback port and returns its URL and a stop
// function that waits for Serve to return.
func serve(t *testing.T, c Config, h http.Handler) (string, func() error) {
	t.Helper()
	ln, err := Listen(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, Handler(c, h)) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	return URL(ln), stop
}

func get(t *testing.T, url, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeWithToken(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	url, _ := serve(t, Config{Token: "s3cret"}, hello)
	if code, body := get(t, url, ""); code != http.StatusUnauthorized || !strings.Contains(body, TokenEnv) {
		t.Errorf("no token: %d %q", code, body)
	}
	if code, _ := get(t, url, "Bearer wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	if code, body := get(t, url, "Bearer s3cret"); code != http.StatusOK || body != "hello" {
		t.Errorf("right token: %d %q", code, body)
	}
}

func TestServeWithoutToken(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	url, _ := serve(t, Config{}, hello)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %s is not on loopback", url)
	}
	if code, body := get(t, url, ""); code != http.StatusOK || body != "hello" {
		t.Errorf("%d %q", code, body)
	}
}

// TestServeShutsDownGracefully: a request in flight when the context ends
// is answered, Serve returns nil, and the port is closed after.
func TestServeShutsDownGracefully(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	url, stop := serve(t, Config{}, slow)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-entered
	stopErr := make(chan error, 1)
	go func() { stopErr <- stop() }()
	// The request in flight is answered, not cut off, although the
	// shutdown began before its handler finished.
	close(release)
	if body := <-got; body != "finished" {
		t.Errorf("request in flight got %q", body)
	}
	if err := <-stopErr; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestListenBusyPort(t *testing.T) {
	ln, err := Listen(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := Config{Port: ln.Addr().(*net.TCPAddr).Port}
	if _, err := Listen(c); err == nil || !strings.Contains(err.Error(), "--port") {
		t.Errorf("second Listen on a busy port: %v", err)
	}
}
