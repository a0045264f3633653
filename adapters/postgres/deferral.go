package postgres

import (
	"context"
	"fmt"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// identityQuery tells one database of one server from another: the
// database's name, the server's port and the time its postmaster started.
const identityQuery = "SELECT current_database() || '/' || current_setting('port') || '/' || pg_postmaster_start_time()::text"

// AttachTarget checks that target other is a schema_prefix of this
// target's database, whose relations this target's connections read as
// they are: Postgres cannot read another database in a query.
func (a *Adapter) AttachTarget(ctx context.Context, other *models.Target, _ string) (string, error) {
	oa, err := Open(other, "")
	if err != nil {
		return "", err
	}
	defer oa.Close()
	mine, err := identity(ctx, a)
	if err != nil {
		return "", err
	}
	theirs, err := identity(ctx, oa)
	if err != nil {
		return "", err
	}
	if mine != theirs {
		return "", fmt.Errorf("target %q is another Postgres database (%s) than this target's; Postgres reads only its own database in a query, so point both targets' dsn at one database and tell them apart with schema_prefix", other.Name, adapters.RedactedDSN(other.DSN))
	}
	return "", nil
}

func identity(ctx context.Context, a adapters.Adapter) (string, error) {
	rows, err := a.Query(ctx, identityQuery)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(rows.Values[0][0]), nil
}
