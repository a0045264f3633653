package sqlparse

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/compiler/internal/corpus"
)

// checkDecode holds parseDoc and DecodeJSON to encoding/json on text:
// both accept it or both refuse it, and they read the same values.
func checkDecode(t *testing.T, text string) {
	t.Helper()
	// encoding/json reads DuckDB's non-finite numbers as stand-ins.
	standIn := map[string]string{"-Infinity": "-7.77e777777", "Infinity": "7.77e777777", "NaN": "7.78e777777"}
	std := corpus.ReplaceNonFinite(text, func(tok string) string { return standIn[tok] })
	dec := json.NewDecoder(strings.NewReader(std))
	dec.UseNumber()
	var want any
	wantErr := dec.Decode(&want)
	if wantErr == nil && strings.TrimLeft(std[dec.InputOffset():], " \t\r\n") != "" {
		wantErr = errJSON // a Decoder stops after one value; parseDoc wants only one
	}
	if std != text {
		want = restoreNonFinite(want, standIn)
	}
	got, err := DecodeJSON(text)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: DecodeJSON error %v, encoding/json %v", text, err, wantErr)
	}
	if err != nil {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", text, got, want)
	}
}

// restoreNonFinite puts back the non-finite numbers whose stand-ins
// encoding/json read in v.
func restoreNonFinite(v any, standIn map[string]string) any {
	switch v := v.(type) {
	case json.Number:
		for tok, in := range standIn {
			if string(v) == in {
				return json.Number(tok)
			}
		}
	case []any:
		for i := range v {
			v[i] = restoreNonFinite(v[i], standIn)
		}
	case map[string]any:
		for k := range v {
			v[k] = restoreNonFinite(v[k], standIn)
		}
	}
	return v
}

var jsonSeeds = []string{
	`[Infinity, -Infinity, NaN]`, `{"value":Infinity}`, `[-NaN]`, `[1Infinity]`, `[Infinity5]`, `Infinit`, `"Infinity"`,
	`{}`, `[]`, ` [ 1 , -0.5e+3 , 0 , -0 , 1E2 , true , false , null , "" ] `,
	`{"a":{"b":[{"c":[]}, {}]},"d":"e"}`,
	`"\"\\\/\b\f\n\r\t\u00e9\u2603\ud83d\ude00"`,
	`"lone \ud800 surrogate \udc00 and \ud800\u0041"`, `"bad \uZZZZ"`, `"\x"`,
	"\"raw \xff byte\"", "\"ctl \x01\"", `"é☕😀"`,
	`01`, `1.`, `.5`, `-`, `1e`, `+1`, `tru`, `nul`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`,
	`[1] 2`, `[`, `{"a":`, `"abc`, ``, ` `,
	`18446744073709551615`, `{"error":true,"error_type":"parser","error_message":"x","position":"12"}`,
}

func TestDecode(t *testing.T) {
	for _, s := range jsonSeeds {
		checkDecode(t, s)
	}
	// DuckDB's answers for the whole corpus.
	for _, c := range loadCorpus(t) {
		js, err := parser.serializeOne(t.Context(), c.SQL)
		if err != nil {
			t.Fatal(err)
		}
		checkDecode(t, js)
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if _, err := parseDoc(deep, nil); err == nil {
		t.Errorf("%d nested arrays decoded", maxDepth+1)
	}
}

// FuzzDecode holds the parse tree decoder to encoding/json on any text.
func FuzzDecode(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Count(text, "[")+strings.Count(text, "{") > 1000 {
			return
		}
		checkDecode(t, text)
	})
}

// BenchmarkDecodeTree reads DuckDB's parse tree of a 30-line model.
func BenchmarkDecodeTree(b *testing.B) {
	js, err := parser.serializeOne(b.Context(), model30(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	var vals []jval
	for b.Loop() {
		t, err := decodeTree(js, vals)
		if err != nil {
			b.Fatal(err)
		}
		vals = t.d.vals[:0]
	}
}
