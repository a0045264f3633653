package docs

import (
	"net/http"
)

// Handler serves the site generated in dir (target/docs). Pages and data
// are not cached by the browser, so a site generated again (weir watch)
// shows at the next load.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
