package datatests

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// JUnit XML, the subset CI systems read (Jenkins, GitLab, GitHub
// reporters): testsuites > testsuite > testcase with failure, error or
// skipped. Warnings pass, their message in system-out.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name      string      `xml:"name,attr"`
		Tests     int         `xml:"tests,attr"`
		Failures  int         `xml:"failures,attr"`
		Errors    int         `xml:"errors,attr"`
		Skipped   int         `xml:"skipped,attr"`
		Time      string      `xml:"time,attr"`
		Timestamp string      `xml:"timestamp,attr,omitempty"`
		Cases     []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		Skipped   *junitProblem `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes results as JUnit XML: one testsuite per tested node
// (singular tests under "singular"), one testcase per test. A failing test
// is a failure with its sample rows, a test whose query failed an error, a
// test not run skipped; a warning passes with its message in system-out.
func WriteJUnit(w io.Writer, results []Result, started time.Time) error {
	bySuite := map[string]*junitSuite{}
	suiteMS := map[string]float64{}
	var names []string
	all := junitSuites{Name: "weir"}
	var total float64
	for _, r := range results {
		suite := r.Node
		if suite == "" {
			suite = r.Kind
		}
		s := bySuite[suite]
		if s == nil {
			s = &junitSuite{Name: suite, Timestamp: started.UTC().Format("2006-01-02T15:04:05")}
			bySuite[suite] = s
			names = append(names, suite)
		}
		c := junitCase{Name: r.Name, Classname: "weir." + suite, Time: seconds(r.DurationMS), File: fileOnly(r.File)}
		detail := r.Message
		if r.Sample != nil {
			detail += "\n" + r.Sample.Table()
		}
		switch r.Status {
		case StatusFail:
			c.Failure = &junitProblem{Message: firstLine(r.Message), Type: r.Kind, Text: detail}
			s.Failures++
		case StatusError:
			c.Error = &junitProblem{Message: firstLine(r.Message), Type: r.Kind, Text: detail}
			s.Errors++
		case StatusSkipped:
			c.Skipped = &junitProblem{Message: r.Message}
			s.Skipped++
		case StatusWarn:
			c.SystemOut = "warning: " + detail
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
		suiteMS[suite] += r.DurationMS
		total += r.DurationMS
	}
	sort.Strings(names)
	for _, n := range names {
		s := bySuite[n]
		s.Time = seconds(suiteMS[n])
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, *s)
	}
	all.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Table prints the sample as aligned columns.
func (s *Sample) Table() string {
	width := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		width[i] = len(c)
	}
	for _, r := range s.Rows {
		for i, v := range r {
			if i < len(width) {
				width[i] = max(width[i], len(v))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, v := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == len(cells)-1 {
				b.WriteString(v)
			} else {
				fmt.Fprintf(&b, "%-*s", width[i], v)
			}
		}
		b.WriteByte('\n')
	}
	line(s.Columns)
	for _, r := range s.Rows {
		line(r)
	}
	return strings.TrimRight(b.String(), "\n")
}

func seconds(ms float64) string { return fmt.Sprintf("%.3f", ms/1000) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// fileOnly cuts ":line" from "path:line".
func fileOnly(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[:i]
	}
	return s
}
