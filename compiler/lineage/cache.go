package lineage

import (
	"crypto/sha256"

	"github.com/weir-sh/weir/internal/gobcache"
)

// cacheVersion changes when the intermediate form changes shape, so that
// entries an older weir wrote are parsed again.
const cacheVersion = "lineage-4"

// treeCache keeps parsed models by the SHA-256 of their SQL and whether
// unnamed select items were given DuckDB's names.
type treeCache struct {
	*gobcache.Cache[parsed]
	prefix string
}

func loadCache(path string, duckdbNames bool) treeCache {
	prefix := "plain\x00"
	if duckdbNames {
		prefix = "duckdb\x00"
	}
	return treeCache{gobcache.Load[parsed](path, cacheVersion), prefix}
}

// get returns the cached form of sql, or parse's answer.
func (c treeCache) get(sql string, parse func() parsed) parsed {
	sum := sha256.Sum256([]byte(c.prefix + sql))
	p, _ := c.Get(string(sum[:]), func() (parsed, error) { return parse(), nil })
	return p
}
