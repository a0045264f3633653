package lineage

import (
	"crypto/sha256"

	"github.com/weir-sh/weir/internal/gobcache"
)

// cacheVersion changes when the intermediate form changes shape, so that
// entries an older weir wrote are parsed again.
const cacheVersion = "lineage-2"

// treeCache keeps parsed models by the SHA-256 of their SQL.
type treeCache struct {
	*gobcache.Cache[parsed]
}

func loadCache(path string) treeCache {
	return treeCache{gobcache.Load[parsed](path, cacheVersion)}
}

// get returns the cached form of sql, or parse's answer.
func (c treeCache) get(sql string, parse func() parsed) parsed {
	sum := sha256.Sum256([]byte(sql))
	p, _ := c.Get(string(sum[:]), func() (parsed, error) { return parse(), nil })
	return p
}
