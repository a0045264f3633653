package models

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// headerMarker opens a model's config comment:
//
//	/* config
//	materialized = "view"
//	*/
//	SELECT …
const headerMarker = "/* config"

// modelHeader mirrors the HCL inside a model's header comment.
type modelHeader struct {
	Materialized *string       `hcl:"materialized,optional"`
	Description  string        `hcl:"description,optional"`
	Tags         []string      `hcl:"tags,optional"`
	DependsOn    []string      `hcl:"depends_on,optional"`
	Enabled      *bool         `hcl:"enabled,optional"`
	Columns      []columnBlock `hcl:"column,block"`
	Tests        []testBlock   `hcl:"test,block"`
	Contract     bool          `hcl:"contract,optional"`
	Cron         *string       `hcl:"cron,optional"`

	// Incremental settings.
	Strategy       string         `hcl:"strategy,optional"`
	UniqueKey      hcl.Expression `hcl:"unique_key,optional"`
	TimeColumn     string         `hcl:"time_column,optional"`
	Interval       string         `hcl:"interval,optional"`
	Start          string         `hcl:"start,optional"`
	Lookback       int            `hcl:"lookback,optional"`
	BatchSize      int            `hcl:"batch_size,optional"`
	OnSchemaChange string         `hcl:"on_schema_change,optional"`

	MaterializedRange hcl.Range `hcl:"materialized,attr_range"`
	DependsOnRange    hcl.Range `hcl:"depends_on,attr_range"`
	ContractRange     hcl.Range `hcl:"contract,attr_range"`
	CronRange         hcl.Range `hcl:"cron,attr_range"`

	// Rest holds retries, retry_backoff and timeout (models/retry.go).
	Rest hcl.Body `hcl:",remain"`
}

// splitHeader separates the config comment from the SQL body. It returns
// the HCL text (nil when there is no header), the position where the HCL
// starts, and the position where the body starts.
func splitHeader(src []byte, filename string) (hclText []byte, hclStart, bodyStart hcl.Pos, diags hcl.Diagnostics) {
	lead := len(src) - len(bytes.TrimLeft(src, " \t\r\n"))
	if !bytes.HasPrefix(src[lead:], []byte(headerMarker)) {
		return nil, hcl.InitialPos, hcl.InitialPos, nil
	}
	open := lead + len(headerMarker)
	end := bytes.Index(src[open:], []byte("*/"))
	if end < 0 {
		start := posAt(src, lead)
		return nil, hcl.InitialPos, hcl.InitialPos, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unterminated config header",
			Detail:   "The model starts with \"/* config\" but the comment is never closed; end the header with */ before the SQL.",
			Subject:  &hcl.Range{Filename: filename, Start: start, End: posAt(src, open)},
		}}
	}
	close := open + end
	body := close + 2
	// The body starts on the line after the header when the rest of the
	// header's last line is blank.
	if nl := bytes.IndexByte(src[body:], '\n'); nl >= 0 && len(bytes.TrimSpace(src[body:body+nl])) == 0 {
		body += nl + 1
	}
	return src[open:close], posAt(src, open), posAt(src, body), nil
}

// decodeHeader parses the HCL of a header into cfg.
func decodeHeader(text []byte, filename string, start hcl.Pos, cfg *ModelConfig) hcl.Diagnostics {
	f, diags := hclsyntax.ParseConfig(text, filename, start)
	if diags.HasErrors() {
		return diags
	}
	var h modelHeader
	diags = append(diags, decodeBody(f.Body, &h)...)
	if diags.HasErrors() {
		return diags
	}
	if h.Materialized != nil {
		cfg.Materialized = *h.Materialized
		cfg.MaterializedRange = h.MaterializedRange
		diags = append(diags, checkMaterialized(cfg.Materialized, h.MaterializedRange)...)
	}
	if h.Enabled != nil {
		cfg.Enabled = *h.Enabled
	}
	cfg.Description = h.Description
	cfg.Tags = append(cfg.Tags, h.Tags...)
	cfg.DependsOn = h.DependsOn
	cfg.DependsOnRange = h.DependsOnRange
	cfg.Columns = columns(h.Columns)
	var td hcl.Diagnostics
	cfg.Tests, td = decodeTests(h.Tests, h.Columns, cfg.Columns)
	diags = append(diags, td...)
	cfg.Contract, cfg.ContractRange = h.Contract, h.ContractRange
	if h.Cron != nil {
		cfg.Cron, cfg.CronRange = *h.Cron, h.CronRange
	}
	retry, rd := decodeRetry(h.Rest, &h)
	retry.over(&cfg.Retry)
	diags = append(diags, rd...)
	diags = append(diags, decodeIncremental(&h, f.Body.(*hclsyntax.Body), cfg)...)
	return diags
}

// posAt converts a byte offset in src to an hcl.Pos (1-based line and
// column, column counted in characters).
func posAt(src []byte, offset int) hcl.Pos {
	if offset > len(src) {
		offset = len(src)
	}
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return hcl.Pos{Line: line, Column: utf8.RuneCount(src[lineStart:offset]) + 1, Byte: offset}
}

// PosAt converts a byte offset into a model's body into a position in its
// file, so SQL errors can be reported where the user wrote them.
func (m *Model) PosAt(bodyOffset int) hcl.Pos {
	body := []byte(m.Body)
	if bodyOffset > len(body) {
		bodyOffset = len(body)
	}
	p := posAt(body, bodyOffset)
	if p.Line == 1 {
		p.Column += m.BodyStart.Column - 1
	}
	p.Line += m.BodyStart.Line - 1
	p.Byte += m.BodyStart.Byte
	return p
}

// RangeAt is the range of n bytes of the body starting at bodyOffset.
func (m *Model) RangeAt(bodyOffset, n int) hcl.Range {
	if n < 1 {
		n = 1
	}
	return hcl.Range{Filename: m.Path, Start: m.PosAt(bodyOffset), End: m.PosAt(bodyOffset + n)}
}
