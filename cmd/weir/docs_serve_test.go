package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestDocsServe runs a real `weir docs serve --port 0`: it generates the
// site, prints its URL, serves the page and the data scripts, refuses a
// request without the token when WEIR_SERVE_TOKEN is set, and ends with
// exit code 130 at SIGINT.
func TestDocsServe(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../examples/shop", dir)
	cmd := weirProcess(dir, "docs", "serve", "--port", "0")
	cmd.Env = append(cmd.Env, "WEIR_SERVE_TOKEN=s3cret")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	url := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		t.Log(sc.Text())
		if m := regexp.MustCompile(`Serving target/docs on (http://127\.0\.0\.1:\d+/)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		t.Fatal("weir docs serve printed no URL")
	}
	go io.Copy(io.Discard, stdout)
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", url+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("", ""); code != http.StatusUnauthorized {
		t.Errorf("no token: status %d", code)
	}
	if code, body := get("", "s3cret"); code != http.StatusOK || !strings.Contains(body, "data/index.js") {
		t.Errorf("index.html: %d\n%s", code, body)
	}
	if code, body := get("data/index.js", "s3cret"); code != http.StatusOK || !strings.Contains(body, `"marts.customers"`) {
		t.Errorf("data/index.js: %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "target", "docs", "data", "nodes", "0.js")); err != nil {
		t.Error(err)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Errorf("weir docs serve after SIGINT: %v, want exit %d", err, exitInterrupted)
	}
}
