// Package webserver is weir's one HTTP server: `weir docs serve`, `weir
// watch` and `weir serve` mount their handlers on it. It listens on the
// loopback interface unless told otherwise, and anywhere else only with a
// bearer token (WEIR_SERVE_TOKEN), which every request must then carry.
package webserver

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultBind is the address served when Config.Bind is empty.
const DefaultBind = "127.0.0.1"

// TokenEnv names the environment variable holding the bearer token.
const TokenEnv = "WEIR_SERVE_TOKEN"

// Config says where to listen and who may ask.
type Config struct {
	// Bind is the host or IP address to listen on (default 127.0.0.1).
	Bind string
	// Port is the TCP port; 0 picks a free one.
	Port int
	// Token, when set, must come with every request as
	// "Authorization: Bearer <Token>".
	Token string
}

// FromEnv returns c with Token taken from WEIR_SERVE_TOKEN when c has none.
func (c Config) FromEnv() Config {
	if c.Token == "" {
		c.Token = os.Getenv(TokenEnv)
	}
	return c
}

func (c Config) bind() string {
	if c.Bind == "" {
		return DefaultBind
	}
	return c.Bind
}

// Check refuses a port out of range, and a Bind beyond the loopback
// interface without a Token: anyone on the network could read the project
// (and, in weir serve, start builds).
func (c Config) Check() error {
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("port %d: give a TCP port from 1 to 65535 (0 picks a free one)", c.Port)
	}
	if c.Token == "" && !loopback(c.bind()) {
		return fmt.Errorf("refusing to serve on %s without a token: anyone who can reach it could read the project; set %s to a secret (clients then send \"Authorization: Bearer <token>\"), or bind to 127.0.0.1", c.bind(), TokenEnv)
	}
	return nil
}

// loopback reports a host that only this machine can reach.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Listen checks c and opens its listener.
func Listen(c Config) (net.Listener, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(strings.Trim(c.bind(), "[]"), strconv.Itoa(c.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w (is another server using the port? pick another with --port)", addr, err)
	}
	return ln, nil
}

// Handler wraps h so that, when c has a Token, requests without
// "Authorization: Bearer <Token>" get 401 Unauthorized.
func Handler(c Config, h http.Handler) http.Handler {
	if c.Token == "" {
		return h
	}
	want := []byte("Bearer " + c.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="weir"`)
			http.Error(w, "401 unauthorized: send the token of "+TokenEnv+" as \"Authorization: Bearer <token>\"", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ShutdownGrace is how long Serve lets requests in flight finish once its
// context ends.
const ShutdownGrace = 5 * time.Second

// Serve serves h on ln until ctx ends, then shuts down gracefully: it
// stops accepting, lets requests in flight finish (up to ShutdownGrace)
// and returns nil. Any other failure of the server is returned.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// Requests see ctx end, so streaming handlers (the monitor's
		// events) return and let the shutdown finish.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// URL is the address a browser on this machine opens for ln.
func URL(ln net.Listener) string {
	return "http://" + ln.Addr().String() + "/"
}
