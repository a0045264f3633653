package models

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// setTimezone reads weir.hcl's timezone (an IANA name such as
// "Europe/Berlin"), where cron schedules are read; UTC when empty.
func (p *Project) setTimezone(name string, rng hcl.Range) hcl.Diagnostics {
	p.Timezone, p.TimezoneRange = time.UTC, rng
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || strings.HasPrefix(name, "/") {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Unknown timezone",
			Detail:  fmt.Sprintf("timezone = %q is not a time zone name; write an IANA name such as \"Europe/Berlin\" or \"UTC\" (leave it out for UTC).", name),
			Subject: rng.Ptr(),
		}}
	}
	p.Timezone = loc
	return nil
}

// checkTriggerPath refuses a trigger_path that is not a glob of files
// inside the project folder.
func checkTriggerPath(glob string, rng hcl.Range) hcl.Diagnostics {
	if glob == "" {
		return nil
	}
	clean := path.Clean(glob)
	problem := ""
	switch {
	case strings.Contains(glob, `\`):
		problem = "use forward slashes"
	case path.IsAbs(glob) || clean == ".." || strings.HasPrefix(clean, "../"):
		problem = "it must be a path inside the project folder, relative to weir.hcl"
	case strings.ContainsAny(path.Dir(clean), "*?["):
		problem = "only the file name may hold wildcards (the folder is watched, not its subfolders)"
	}
	if _, err := path.Match(path.Base(clean), ""); err != nil {
		problem = "the file name pattern is malformed"
	}
	if problem == "" {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Bad trigger_path",
		Detail:  fmt.Sprintf("trigger_path = %q: %s; write it like \"landing/orders/*.csv\".", glob, problem),
		Subject: rng.Ptr(),
	}}
}
