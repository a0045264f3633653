package state

import (
	"encoding/json"
	"testing"
)

// FuzzParseDetail holds readDetail, parseDetail's fast path, to
// encoding/json: where it reads a detail, it reads what json.Unmarshal
// reads.
func FuzzParseDetail(f *testing.F) {
	for _, d := range []logDetail{
		{},
		{Kind: "model", Relation: "s.m", Materialized: "table", Fingerprint: "ab12", CodeHash: "cd34", BodyHash: "ef", ConfigHash: "01", Run: "20240101T000000Z-abcdef"},
		{Kind: "seed", Run: "r1", Message: `boom: "quoted" \ back <tag> & é`},
		{Message: "line\nbreak\ttab"},
	} {
		b, _ := json.Marshal(d)
		f.Add(string(b))
	}
	for _, s := range []string{
		`{"kind":"model","kind":"seed"}`, `{"Kind":"model"}`, `{"kind":1}`, `{"kind":"a" }`, `{ "kind":"a"}`,
		`{"kind":"a"}x`, `{"kind":"a",}`, `{"kind":"a"`, `{"other":"x","kind":"a"}`, `{}`, `{`, ``, `null`, `[]`,
		`{"kind":"\u0041"}`, `{"kind":"a","message":"` + "\x7f" + `"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := readDetail(s)
		if !ok {
			return
		}
		var want logDetail
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("readDetail read %q, which encoding/json rejects: %v", s, err)
		}
		if got != want {
			t.Fatalf("readDetail(%q) = %+v, encoding/json reads %+v", s, got, want)
		}
	})
}

// TestReadDetailReadsWhatWeirWrites: the details weir writes take the
// fast path; an escaped character does not.
func TestReadDetailReadsWhatWeirWrites(t *testing.T) {
	d := logDetail{Kind: "model", Relation: "marts.orders", Materialized: "incremental", Fingerprint: "0123456789abcdef",
		CodeHash: "fedcba", BodyHash: "b1", ConfigHash: "c1", Run: "20240101T000000Z-abcdef", Message: "ok"}
	b, _ := json.Marshal(d)
	got, ok := readDetail(string(b))
	if !ok || got != d {
		t.Errorf("readDetail(%s) = %+v, %v; want %+v", b, got, ok, d)
	}
	if _, ok := readDetail(`{"message":"a \"b\""}`); ok {
		t.Error("readDetail read an escaped quote itself")
	}
	if got := parseDetail(`{"message":"a \"b\""}`); got.Message != `a "b"` {
		t.Errorf("parseDetail of an escaped quote: %q", got.Message)
	}
}
