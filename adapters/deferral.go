package adapters

import (
	"context"
	"fmt"

	"github.com/weir-sh/weir/models"
)

// Deferrer is implemented by adapters that can read another target's
// relations over this target's connections: weir build --defer reads the
// models it does not build from there, and weir diff compares with them.
type Deferrer interface {
	// AttachTarget makes target other readable, without writing to it,
	// and returns the database its relations are qualified with ("" when
	// other lives in this target's database). It fails, saying why, when
	// other cannot be read from here (another server or database).
	AttachTarget(ctx context.Context, other *models.Target, projectDir string) (database string, err error)
}

// AttachTarget makes target other readable from a's connections, or
// explains that a's adapter cannot read another target.
func AttachTarget(ctx context.Context, a Adapter, self, other *models.Target, projectDir string) (string, error) {
	if other.Adapter != self.Adapter {
		return "", fmt.Errorf("target %q uses adapter %s and target %q %s; weir reads another target only on the same adapter", other.Name, other.Adapter, self.Name, self.Adapter)
	}
	d, ok := a.(Deferrer)
	if !ok {
		return "", fmt.Errorf("the %s adapter cannot read another target's relations", self.Adapter)
	}
	return d.AttachTarget(ctx, other, projectDir)
}
