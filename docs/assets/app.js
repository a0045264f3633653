// weir docs: a single page over the data scripts beside it. data/index.js
// calls weir.index with the project (search, lists, the lineage graph);
// a node's page loads the script holding it (data/nodes/K.js, 64 nodes
// each), a run's data/runs/N.js, by script tags, so the site also works
// opened from disk.
"use strict";
(function () {
  var weir = window.weir = { timing: {} };
  var D = null, N = [], byId = new Map(), T = [];
  var main = document.getElementById("main");
  var loaded = { node: new Map(), run: new Map() }, scripts = new Map();
  var NODES_PER_SCRIPT = 64;
  var BOX_W = 190, BOX_H = 26, GAP_X = 250, GAP_Y = 36;

  weir.index = function (d) {
    D = d;
    prepare();
    document.getElementById("brand").textContent = d.project + " docs";
    document.title = d.project + " · weir docs";
    window.addEventListener("hashchange", route);
    var search = document.getElementById("search");
    search.addEventListener("input", function () {
      history.replaceState(null, "", "#/search?q=" + encodeURIComponent(search.value));
      route();
    });
    route();
  };
  weir.nodes = function (ds) { ds.forEach(function (d) { loaded.node.set(d.n, d); }); };
  weir.run = function (d) { loaded.run.set(d.n, d); };
  weir.missing = function () {
    main.innerHTML = "<h1>No data</h1><p>data/index.js is missing: run <code>weir docs generate</code>.</p>";
  };

  // ---- data --------------------------------------------------------
  function prepare() {
    D.nodes.forEach(function (r, i) {
      var n = { i: i, id: r[0], kind: r[1], mat: r[2], desc: r[3], tags: r[4], cols: r[5], parents: r[6], status: r[7], children: [] };
      n.hay = (n.id + " " + n.tags.join(" ") + " " + n.desc + " " + n.cols.join(" ")).toLowerCase();
      N.push(n);
      byId.set(n.id, n);
    });
    N.forEach(function (n) { n.parents.forEach(function (p) { N[p].children.push(n.i); }); });
    T = D.tests.map(function (r, i) {
      return { i: i, name: r[0], kind: r[1], node: r[2], column: r[3], severity: r[4], status: r[5], failures: r[6], message: r[7], path: r[8], at: r[9] };
    });
  }

  // load resolves with node or run n's data once the script holding it
  // (data/nodes/K.js, data/runs/N.js) has run.
  function load(kind, n) {
    if (loaded[kind].has(n)) return Promise.resolve(loaded[kind].get(n));
    var src = kind === "node" ? "data/nodes/" + Math.floor(n / NODES_PER_SCRIPT) + ".js" : "data/runs/" + n + ".js";
    return script(src).then(function () {
      if (!loaded[kind].has(n)) throw new Error(src + " lacks " + kind + " " + n);
      return loaded[kind].get(n);
    });
  }

  function script(src) {
    if (!scripts.has(src)) {
      scripts.set(src, new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { s.remove(); resolve(); };
        s.onerror = function () { s.remove(); scripts.delete(src); reject(new Error("cannot load " + src)); };
        document.head.appendChild(s);
      }));
    }
    return scripts.get(src);
  }

  // ---- helpers -----------------------------------------------------
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function nodeHref(id) { return "#/node/" + encodeURIComponent(id); }
  function nodeLink(n) { return '<a href="' + nodeHref(n.id) + '" data-node="' + esc(n.id) + '">' + esc(n.id) + "</a>"; }
  function st(s) { return s ? '<span class="st-' + esc(s).replace(/ /g, ".") + '">' + esc(s) + "</span>" : '<span class="muted">–</span>'; }
  function tags(ts) { return (ts || []).map(function (t) { return '<span class="tag">' + esc(t) + "</span>"; }).join(""); }
  function when(s) { return s ? esc(s.replace("T", " ").replace("Z", " UTC")) : '<span class="muted">–</span>'; }
  function ms(v) { return v >= 1000 ? (v / 1000).toFixed(2) + " s" : Math.round(v) + " ms"; }
  function facts(rows) {
    return '<dl class="facts">' + rows.filter(function (r) { return r[1] !== "" && r[1] != null; }).map(function (r) {
      return "<dt>" + esc(r[0]) + "</dt><dd>" + r[1] + "</dd>";
    }).join("") + "</dl>";
  }
  function setMain(html, wide) { main.className = wide ? "wide" : ""; main.innerHTML = html; }

  // ---- routing -----------------------------------------------------
  function route() {
    var h = location.hash.slice(1) || "/";
    var qi = h.indexOf("?"), path = qi < 0 ? h : h.slice(0, qi);
    var q = new URLSearchParams(qi < 0 ? "" : h.slice(qi + 1));
    var parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    var t0 = performance.now();
    switch (parts[0]) {
      case "node": return nodePage(byId.get(parts[1]), q, t0);
      case "test": return testPage(T[+parts[1]]);
      case "graph": return graphPage(q, t0);
      case "column": return columnPage(byId.get(parts[1]), parts.slice(2).join("/"), q);
      case "runs": return runsPage();
      case "run": return runPage(+parts[1]);
      case "search": return searchPage(q.get("q") || "");
    }
    overview();
    if (weir.timing.firstScreen == null) weir.timing.firstScreen = performance.now();
  }

  // ---- overview and search -----------------------------------------
  function overview() {
    var c = {};
    N.forEach(function (n) { c[n.kind] = (c[n.kind] || 0) + 1; });
    var h = "<h1>" + esc(D.project) + "</h1>" + facts([
      ["target", esc(D.target) + ' <span class="muted">(' + esc(D.adapter) + ")</span>"],
      ["nodes", (c.model || 0) + " models, " + (c.seed || 0) + " seeds, " + (c.source || 0) + " sources, " + T.length + " tests"],
      ["warehouse", D.warehouse ? esc(D.warehouse) : ""],
      ["generated", when(D.generated)]]);
    h += '<p><a href="#/graph">Lineage of the whole project</a> · <a href="#/runs">Run history</a></p>';
    if (D.runs.length) h += "<h2>Recent runs</h2>" + runsTable(D.runs.slice(0, 5));
    var models = N.filter(function (n) { return n.kind === "model"; });
    h += "<h2>Models</h2>" + results(models.slice(0, 200), []);
    if (models.length > 200) h += '<p class="muted">' + (models.length - 200) + " more: search to find them.</p>";
    setMain(h);
  }

  function searchPage(q) {
    var search = document.getElementById("search");
    if (search.value !== q) search.value = q;
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return overview();
    var hits = [];
    N.forEach(function (n) {
      for (var k = 0; k < terms.length; k++) if (n.hay.indexOf(terms[k]) < 0) return;
      var name = n.id.toLowerCase(), score = name === terms[0] ? 0 : name.indexOf(terms[0]) >= 0 ? 1 : 2;
      hits.push([score, n]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1].id < b[1].id ? -1 : 1); });
    var tests = T.filter(function (t) {
      var hay = (t.name + " " + t.kind + " " + t.column).toLowerCase();
      return terms.every(function (x) { return hay.indexOf(x) >= 0; });
    });
    var h = "<h1>Search: " + esc(q) + "</h1><p class=\"muted\">" + hits.length + " nodes, " + tests.length + " tests</p>";
    h += '<div id="results">' + results(hits.slice(0, 200).map(function (x) { return x[1]; }), terms) + "</div>";
    if (tests.length) h += "<h2>Tests</h2>" + testsTable(tests.slice(0, 200));
    setMain(h);
  }

  function results(ns, terms) {
    return ns.map(function (n) {
      var cols = terms.length ? n.cols.filter(function (c) {
        return terms.some(function (t) { return c.toLowerCase().indexOf(t) >= 0; });
      }) : [];
      return '<div class="result"><span class="kind">' + esc(n.kind) + "</span> " + nodeLink(n) + " " + tags(n.tags) +
        (cols.length ? ' <span class="muted">columns: ' + esc(cols.join(", ")) + "</span>" : "") +
        (n.desc ? '<div class="desc">' + esc(n.desc) + "</div>" : "") + "</div>";
    }).join("") || '<p class="muted">Nothing found.</p>';
  }

  // ---- node page ---------------------------------------------------
  function nodePage(n, q, t0) {
    if (!n) return setMain("<h1>Not found</h1><p>No such node in this project.</p>");
    var up = clampDepth(q.get("up"), 2), down = clampDepth(q.get("down"), 2);
    setMain("<h1>" + esc(n.id) + ' <span class="kind">' + esc(n.kind) + "</span> " + st(n.status) + "</h1>" +
      '<div id="head">' + facts([["materialized", esc(n.mat)], ["tags", tags(n.tags)]]) + "</div>" +
      (n.desc ? "<p>" + esc(n.desc) + "</p>" : "") +
      "<h2>Lineage</h2>" + depthControls(up, down) + '<div id="lineage"></div>' +
      '<div id="detail"><p class="muted">Loading…</p></div>');
    drawNeighbourhood(n, up, down, t0);
    main.querySelectorAll(".controls input").forEach(function (el) {
      el.addEventListener("change", function () {
        var u = clampDepth(main.querySelector("#up").value, 2), d = clampDepth(main.querySelector("#down").value, 2);
        history.replaceState(null, "", nodeHref(n.id) + "?up=" + u + "&down=" + d);
        drawNeighbourhood(n, u, d, performance.now());
      });
    });
    load("node", n.i).then(function (d) {
      if (location.hash.indexOf(nodeHref(n.id)) !== 0) return;
      main.querySelector("#head").innerHTML = headFacts(n, d);
      main.querySelector("#detail").innerHTML = nodeDetail(n, d);
    }, function (e) { main.querySelector("#detail").innerHTML = '<p class="st-error">' + esc(e.message) + "</p>"; });
  }

  function clampDepth(v, def) {
    var x = parseInt(v, 10);
    return isNaN(x) ? def : Math.max(0, Math.min(50, x));
  }

  function depthControls(up, down) {
    return '<div class="controls"><label>upstream levels <input id="up" type="number" min="0" max="50" value="' + up +
      '"></label><label>downstream levels <input id="down" type="number" min="0" max="50" value="' + down + '"></label></div>';
  }

  function drawNeighbourhood(n, up, down, t0) {
    var keep = new Map([[n.i, true]]);
    walk(n.i, up, function (x) { return N[x].parents; }, keep);
    walk(n.i, down, function (x) { return N[x].children; }, keep);
    var ids = Array.from(keep.keys()).sort(function (a, b) { return a - b; });
    var host = main.querySelector("#lineage");
    drawGraph(host, nodeGraph(ids, n.i), "small");
    weir.timing.lineage = performance.now() - t0;
  }

  function walk(start, depth, next, keep) {
    var frontier = [start];
    for (var d = 0; d < depth && frontier.length; d++) {
      var more = [];
      frontier.forEach(function (x) {
        next(x).forEach(function (y) { if (!keep.has(y)) { keep.set(y, true); more.push(y); } });
      });
      frontier = more;
    }
  }

  function nodeGraph(ids, focus) {
    return {
      keys: ids,
      parents: function (i) { return N[i].parents; },
      label: function (i) { return N[i].id; },
      cls: function (i) { return N[i].kind + " " + N[i].status.replace(/ /g, "-") + (i === focus ? " focus" : ""); },
      click: function (i) { location.hash = nodeHref(N[i].id); },
      focus: focus
    };
  }

  function headFacts(n, d) {
    var last = d.history.length ? d.history[d.history.length - 1] : null;
    var built = d.state ? when(d.state.built_at) : (D.warehouse || "not built");
    return facts([
      ["materialized", esc(d.materialized)],
      ["relation", d.relation ? "<code>" + esc(d.relation) + "</code>" : ""],
      ["file", d.path ? "<code>" + esc(d.path) + "</code>" : ""],
      ["tags", tags(d.tags)],
      ["last build", n.kind === "source" ? "" : built],
      ["last attempt", d.state && d.state.status && d.state.status !== "success" ? st(d.state.status) + " " + esc(d.state.message) : ""],
      ["last duration", last ? ms(last[2]) + ' <span class="muted">(' + esc(last[1]) + ", run " + esc(D.runs[last[0]][0]) + ")</span>" : ""],
      ["freshness", n.kind === "source" ? (d.loaded_at ? (d.freshness ? "newest " + esc(d.loaded_at) + ": " + when(d.freshness) : "newest " + esc(d.loaded_at) + ": unknown") : "no loaded_at declared") : ""]]);
  }

  function nodeDetail(n, d) {
    var h = "";
    if (d.problem) h += '<p class="st-error">' + esc(d.problem) + "</p>";
    if ((d.description || "").length > n.desc.length) h = "<h2>Description</h2><p>" + esc(d.description) + "</p>" + h;
    h += "<h2>Columns</h2>" + columnsTable(n, d);
    var tests = d.tests.map(function (i) { return T[i]; });
    h += "<h2>Tests</h2>" + (tests.length ? testsTable(tests) : '<p class="muted">No tests.</p>');
    h += "<h2>Run history</h2>" + historyView(d.history);
    if (d.sql) h += "<h2>SQL as written</h2><pre id=\"sql\">" + esc(d.sql) + "</pre>";
    if (d.compiled) h += "<h2>SQL as compiled</h2><pre id=\"compiled\">" + esc(d.compiled) + "</pre>";
    return h;
  }

  function columnsTable(n, d) {
    if (!d.columns.length) return '<p class="muted">No columns known: ' + esc(D.warehouse || "not built yet") + ", and none declared.</p>";
    var note = d.columns_from === "declared" ? "Types as declared; the warehouse: " + (D.warehouse || "not built") + "." :
      d.columns_from === "sql" ? "Columns as the SQL names them; the warehouse: " + (D.warehouse || "not built") + "." : "";
    if (d.lineage_unknown) note += " Column lineage not known: " + d.lineage_unknown + ".";
    var h = note ? '<p class="muted">' + esc(note) + "</p>" : "";
    h += '<table id="columns"><tr><th>column</th><th>type</th><th>description</th>' + (d.lineage ? "<th>computed from</th>" : "") + "</tr>" +
      d.columns.map(function (c) {
        var type = c.type ? esc(c.type) : c.declared ? esc(c.declared) + ' <span class="muted">declared</span>' : '<span class="muted">not built</span>';
        return '<tr data-column="' + esc(c.name) + '"><td><code>' + esc(c.name) + "</code></td><td>" + type + "</td><td>" + esc(c.description) + "</td>" +
          (d.lineage ? lineageCell(n, c) : "") + "</tr>";
      }).join("") + "</table>";
    if (d.filters && d.filters.length) {
      h += '<p class="lin" id="filters"><span class="muted">Rows decided by</span> ' + d.filters.map(function (f) {
        return '<a href="' + nodeHref(N[f[0]].id) + '">' + esc(N[f[0]].id + "." + f[1]) + "</a>";
      }).join(", ") + "</p>";
    }
    return h;
  }

  // lineageCell lists the upstream columns of column c of node n.
  function lineageCell(n, c) {
    var ups = c.upstream || [];
    var h = ups.map(function (u) {
      return '<a href="' + nodeHref(N[u[0]].id) + '">' + esc(N[u[0]].id + "." + u[1]) + '</a> <span class="muted">' + esc(u[2]) + "</span>";
    }).join("<br>");
    if (ups.length) h += '<br><a class="colgraph" href="#/column/' + encodeURIComponent(n.id) + "/" + encodeURIComponent(c.name) + '">column graph</a>';
    if (c.unknown) h += '<br><span class="muted">not fully known: ' + esc(c.unknown) + "</span>";
    if (!h && n.kind === "model") h = '<span class="muted">a constant</span>';
    return '<td class="lin" data-column="' + esc(c.name) + '">' + h + "</td>";
  }

  function testsTable(tests) {
    return '<table class="tests"><tr><th>test</th><th>on</th><th>severity</th><th>last result</th></tr>' + tests.map(function (t) {
      var on = t.node >= 0 ? nodeLink(N[t.node]) + (t.column ? "." + esc(t.column) : "") : '<span class="muted">singular</span>';
      var res = t.status ? st(t.status) + (t.failures ? " (" + t.failures + " failing rows)" : "") + (t.at ? ' <span class="muted">' + when(t.at) + "</span>" : "") : '<span class="muted">not run</span>';
      return '<tr><td><a href="#/test/' + t.i + '">' + esc(t.name) + "</a></td><td>" + on + "</td><td>" + esc(t.severity) + "</td><td>" + res + "</td></tr>";
    }).join("") + "</table>";
  }

  function testPage(t) {
    if (!t) return setMain("<h1>Not found</h1>");
    setMain("<h1>" + esc(t.name) + ' <span class="kind">test</span></h1>' + facts([
      ["kind", esc(t.kind)],
      ["on", t.node >= 0 ? nodeLink(N[t.node]) + (t.column ? " column <code>" + esc(t.column) + "</code>" : "") : "singular"],
      ["severity", esc(t.severity)],
      ["declared in", t.path ? "<code>" + esc(t.path) + "</code>" : ""],
      ["last result", t.status ? st(t.status) : '<span class="muted">not run</span>'],
      ["failing rows", t.status ? String(t.failures) : ""],
      ["message", t.message ? esc(t.message) : ""],
      ["at", t.at ? when(t.at) : ""]]));
  }

  // ---- run history -------------------------------------------------
  function historyView(hist) {
    if (!hist.length) return '<p class="muted">No recorded runs built this node' + (D.runs.length ? " recently" : "") + ".</p>";
    return plot(hist) + '<table class="history"><tr><th>run</th><th>started</th><th>status</th><th>duration</th><th>rows</th></tr>' +
      hist.slice(-15).reverse().map(function (r) {
        var run = D.runs[r[0]];
        return '<tr><td><a href="#/run/' + r[0] + '">' + esc(run[0]) + "</a></td><td>" + when(run[3]) + "</td><td>" + st(r[1]) + "</td><td>" + ms(r[2]) + "</td><td>" + (r[3] >= 0 ? r[3] : "") + "</td></tr>";
      }).join("") + "</table>";
  }

  // plot draws a node's build durations over its runs, oldest left.
  function plot(hist) {
    var W = 640, H = 160, L = 56, B = 22, max = 0;
    hist.forEach(function (r) { max = Math.max(max, r[2]); });
    max = max || 1;
    var step = hist.length > 1 ? (W - L - 10) / (hist.length - 1) : 0;
    var pts = hist.map(function (r, i) {
      return [L + (hist.length > 1 ? i * step : (W - L) / 2), 10 + (H - B - 10) * (1 - r[2] / max), r];
    });
    var s = '<svg class="plot" id="plot" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + " " + H + '">';
    s += '<text x="4" y="14">' + esc(ms(max)) + '</text><text x="4" y="' + (H - B) + '">0</text>';
    s += '<line x1="' + L + '" y1="' + (H - B) + '" x2="' + W + '" y2="' + (H - B) + '" stroke="#d9dee3"/>';
    s += '<text x="' + L + '" y="' + (H - 6) + '">' + when(D.runs[hist[0][0]][3]) + "</text>";
    s += '<text x="' + W + '" y="' + (H - 6) + '" text-anchor="end">' + when(D.runs[hist[hist.length - 1][0]][3]) + "</text>";
    s += '<polyline class="line" points="' + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ") + '"/>';
    s += pts.map(function (p) {
      return '<circle r="3" cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" class="' + (p[2][1] === "success" ? "" : "error") + '"><title>' +
        esc(D.runs[p[2][0]][3] + ": " + ms(p[2][2]) + " " + p[2][1]) + "</title></circle>";
    }).join("");
    return s + "</svg>";
  }

  function runsTable(runs) {
    return '<table class="runs"><tr><th>run</th><th>command</th><th>status</th><th>started</th><th>ended</th><th>nodes</th><th>errors</th></tr>' +
      runs.map(function (r) {
        var i = D.runs.indexOf(r);
        return '<tr><td><a href="#/run/' + i + '">' + esc(r[0]) + "</a></td><td>" + esc(r[1]) + "</td><td>" + st(r[2]) + "</td><td>" + when(r[3]) + "</td><td>" + when(r[4]) + "</td><td>" + r[5] + "</td><td>" + r[6] + "</td></tr>";
      }).join("") + "</table>";
  }

  function runsPage() {
    setMain("<h1>Runs</h1>" + (D.runs.length ? runsTable(D.runs) : '<p class="muted">No runs recorded: ' + esc(D.warehouse || "nothing built yet") + ".</p>"));
  }

  function runPage(i) {
    var r = D.runs[i];
    if (!r) return setMain("<h1>Not found</h1>");
    setMain("<h1>Run " + esc(r[0]) + "</h1>" + facts([["command", esc(r[1])], ["status", st(r[2])], ["started", when(r[3])], ["ended", when(r[4])]]) +
      '<div id="run"><p class="muted">Loading…</p></div>');
    load("run", i).then(function (d) {
      var rows = d.nodes.slice().sort(function (a, b) { return b[2] - a[2]; });
      main.querySelector("#run").innerHTML = '<h2>Nodes, slowest first</h2><table><tr><th>node</th><th>status</th><th>duration</th><th>rows</th><th>message</th></tr>' +
        rows.map(function (x) {
          var n = byId.get(x[0]);
          return "<tr><td>" + (n ? nodeLink(n) : esc(x[0])) + "</td><td>" + st(x[1]) + "</td><td>" + ms(x[2]) + "</td><td>" + (x[3] >= 0 ? x[3] : "") + "</td><td>" + esc(x[4]) + "</td></tr>";
        }).join("") + "</table>";
    });
  }

  // ---- whole graph and column graph --------------------------------
  function graphPage(q, t0) {
    setMain("<h1>Lineage of " + esc(D.project) + '</h1><p class="muted">' + N.length + " nodes. Drag to pan, wheel to zoom, click a node to open it.</p><div id=\"lineage\"></div>", true);
    drawGraph(main.querySelector("#lineage"), nodeGraph(N.map(function (n) { return n.i; }), -1), "");
    weir.timing.graph = performance.now() - t0;
  }

  // columnPage draws the columns a column is computed from, level by
  // level up to q.up (default 5), loading each node's script on the way.
  function columnPage(n, col, q) {
    if (!n) return setMain("<h1>Not found</h1>");
    var depth = clampDepth(q.get("up"), 5);
    setMain("<h1>Column " + esc(n.id + "." + col) + '</h1><p><a href="' + nodeHref(n.id) + '">back to ' + esc(n.id) + "</a></p>" +
      '<div class="controls"><label>upstream levels <input id="up" type="number" min="0" max="50" value="' + depth + '"></label></div><div id="lineage"><p class="muted">Loading…</p></div>');
    main.querySelector("#up").addEventListener("change", function (e) {
      location.hash = "#/column/" + encodeURIComponent(n.id) + "/" + encodeURIComponent(col) + "?up=" + clampDepth(e.target.value, 5);
    });
    var keys = [n.i + "\u0000" + col], parents = new Map(), seen = new Set(keys), frontier = keys.slice();
    var step = function (level) {
      if (level >= depth || !frontier.length) return Promise.resolve();
      return Promise.all(frontier.map(function (k) {
        var p = k.indexOf("\u0000"), ni = +k.slice(0, p), c = k.slice(p + 1);
        return load("node", ni).then(function (d) {
          var cd = d.columns.find(function (x) { return x.name.toLowerCase() === c.toLowerCase(); });
          var ups = (cd && cd.upstream || []).map(function (u) { return u[0] + "\u0000" + u[1]; });
          parents.set(k, ups);
          return ups;
        }, function () { return []; });
      })).then(function (lists) {
        frontier = [];
        lists.forEach(function (l) { l.forEach(function (k) { if (!seen.has(k)) { seen.add(k); keys.push(k); frontier.push(k); } }); });
        return step(level + 1);
      });
    };
    step(0).then(function () {
      var split = function (k) { var p = k.indexOf("\u0000"); return [N[+k.slice(0, p)], k.slice(p + 1)]; };
      drawGraph(main.querySelector("#lineage"), {
        keys: keys,
        parents: function (k) { return parents.get(k) || []; },
        label: function (k) { var s = split(k); return s[0].id + "." + s[1]; },
        cls: function (k) { var s = split(k); return s[0].kind + (k === keys[0] ? " focus" : ""); },
        click: function (k) { location.hash = nodeHref(split(k)[0].id); },
        focus: keys[0]
      }, "");
    });
  }

  // ---- layout ------------------------------------------------------
  // layout places g's keys left to right: longest-path layers (every node
  // one column right of its furthest parent); an edge that spans several
  // columns gets a waypoint in each column it crosses, which takes a row
  // there like a node, so no edge runs through a box; then a few
  // barycenter sweeps order each column to shorten edges. Rows within a
  // column never overlap. It returns the nodes' centres and each edge's
  // route: [parent, child, waypoint rows].
  function layout(g) {
    var n = g.keys.length, idx = new Map();
    g.keys.forEach(function (k, i) { idx.set(k, i); });
    var par = g.keys.map(function (k) {
      return g.parents(k).filter(function (p) { return idx.has(p); }).map(function (p) { return idx.get(p); });
    });
    var kids = g.keys.map(function () { return []; }), indeg = par.map(function (p) { return p.length; });
    par.forEach(function (ps, i) { ps.forEach(function (p) { kids[p].push(i); }); });
    var layer = [], queue = [];
    for (var i = 0; i < n; i++) { layer.push(0); if (!indeg[i]) queue.push(i); }
    for (var q = 0; q < queue.length; q++) {
      var x = queue[q];
      kids[x].forEach(function (c) {
        layer[c] = Math.max(layer[c], layer[x] + 1);
        if (--indeg[c] === 0) queue.push(c);
      });
    }
    // Waypoints: extra rows numbered from n, chained parent → child.
    var routes = [], up = par.map(function (ps) { return ps.slice(); }), down = kids.map(function (ks) { return ks.slice(); });
    var span = 0;
    par.forEach(function (ps, c) { ps.forEach(function (p) { span += layer[c] - layer[p] - 1; }); });
    var waypoints = span <= 4 * n + 1000; // else draw long edges straight
    par.forEach(function (ps, c) {
      ps.forEach(function (p) {
        var way = [], prev = p;
        if (waypoints) {
          for (var l = layer[p] + 1; l < layer[c]; l++) {
            var w = layer.length;
            layer.push(l); up.push([prev]); down.push([]); down[prev].push(w);
            way.push(w); prev = w;
          }
          if (way.length) { down[prev].push(c); up[c].push(prev); }
        }
        routes.push([p, c, way]);
      });
    });
    var total = layer.length, layers = [];
    for (i = 0; i < total; i++) (layers[layer[i]] = layers[layer[i]] || []).push(i);
    if (waypoints) { // a parent and child joined through waypoints are not also adjacent
      for (i = 0; i < n; i++) up[i] = up[i].filter(function (p) { return layer[p] === layer[i] - 1; });
      for (i = 0; i < n; i++) down[i] = down[i].filter(function (c) { return layer[c] === layer[i] + 1; });
    }
    var y = new Float64Array(total);
    var place = function (ls) { ls.forEach(function (i, p) { y[i] = (p - (ls.length - 1) / 2) * GAP_Y; }); };
    layers.forEach(place);
    var sweep = function (ls, nb) {
      var bc = new Float64Array(total);
      ls.forEach(function (i) {
        var ns = nb[i], s = 0;
        if (!ns.length) { bc[i] = y[i]; return; }
        ns.forEach(function (j) { s += y[j]; });
        bc[i] = s / ns.length;
      });
      ls.sort(function (a, b) { return bc[a] - bc[b]; });
      place(ls);
    };
    for (var it = 0; it < 4; it++) {
      for (var l = 1; l < layers.length; l++) sweep(layers[l], up);
      for (l = layers.length - 2; l >= 0; l--) sweep(layers[l], down);
    }
    var xs = new Float64Array(total);
    for (i = 0; i < total; i++) xs[i] = layer[i] * GAP_X;
    return { x: xs, y: y, par: par, routes: routes };
  }

  // edgePath is the SVG path of an edge from parent p to child c through the
  // waypoints way: straight across each waypoint's column, S-curves
  // between columns.
  function edgePath(L, p, c, way) {
    var hw = BOX_W / 2, d = "M" + (L.x[p] + hw) + " " + L.y[p], px = L.x[p] + hw, py = L.y[p];
    var to = function (x1, y1) {
      var mx = (px + x1) / 2;
      d += "C" + mx + " " + py + " " + mx + " " + y1 + " " + x1 + " " + y1;
    };
    way.forEach(function (w) {
      to(L.x[w] - hw, L.y[w]);
      d += "H" + (L.x[w] + hw);
      px = L.x[w] + hw; py = L.y[w];
    });
    to(L.x[c] - hw, L.y[c]);
    return d;
  }

  // ---- drawing -----------------------------------------------------
  // drawGraph draws g into host as SVG with pan (drag), zoom (wheel) and
  // click to navigate. Small graphs get one element per node; large ones
  // get their boxes as one path and labels only where the view shows them.
  function drawGraph(host, g, size) {
    var L = layout(g), n = g.keys.length, big = n > 1500;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < L.x.length; i++) { // nodes and waypoints
      minX = Math.min(minX, L.x[i]); maxX = Math.max(maxX, L.x[i]);
      minY = Math.min(minY, L.y[i]); maxY = Math.max(maxY, L.y[i]);
    }
    var hw = BOX_W / 2, hh = BOX_H / 2, edges = [], boxes = [];
    L.routes.forEach(function (r) { edges.push(edgePath(L, r[0], r[1], r[2])); });
    for (i = 0; i < n; i++) {
      if (big) boxes.push("M" + (L.x[i] - hw) + " " + (L.y[i] - hh) + "h" + BOX_W + "v" + BOX_H + "h-" + BOX_W + "z");
    }
    var svgNS = "http://www.w3.org/2000/svg";
    host.innerHTML = '<svg class="graph ' + size + '" xmlns="' + svgNS + '" data-nodes="' + n + '"><g class="vp"><path class="edges" d="' + edges.join("") +
      '"/>' + (big ? '<path class="boxes" d="' + boxes.join("") + '"/>' : "") + '<g class="labels"></g></g></svg>';
    var svg = host.firstChild, vp = svg.firstChild, labels = vp.lastChild;
    var view = { k: 1, tx: 0, ty: 0 };
    var nodeEl = function (i) {
      var k = g.keys[i], label = g.label(k), short = label.length > 26 ? label.slice(0, 25) + "…" : label;
      return '<g class="node ' + esc(g.cls(k)) + '" data-key="' + esc(label) + '" transform="translate(' + (L.x[i] - hw) + "," + (L.y[i] - hh) + ')"><rect width="' +
        BOX_W + '" height="' + BOX_H + '"></rect><text x="8" y="17">' + esc(short) + "</text><title>" + esc(label) + "</title></g>";
    };
    var drawLabels = function () {
      if (!big) return;
      var r = svg.getBoundingClientRect(), out = [];
      if (view.k >= 0.45) {
        var x0 = -view.tx / view.k - hw, x1 = (r.width - view.tx) / view.k + hw, y0 = -view.ty / view.k - hh, y1 = (r.height - view.ty) / view.k + hh;
        for (var i = 0; i < n && out.length < 1500; i++) {
          if (L.x[i] >= x0 && L.x[i] <= x1 && L.y[i] >= y0 && L.y[i] <= y1) out.push(nodeEl(i));
        }
      }
      labels.innerHTML = out.join("");
    };
    if (!big) {
      var all = [];
      for (i = 0; i < n; i++) all.push(nodeEl(i));
      labels.innerHTML = all.join("");
    }
    var apply = function () { vp.setAttribute("transform", "translate(" + view.tx + "," + view.ty + ") scale(" + view.k + ")"); };
    var pending = false;
    var redraw = function () {
      apply();
      if (big && !pending) { pending = true; requestAnimationFrame(function () { pending = false; drawLabels(); }); }
    };
    // Fit the graph (at most at natural size), or for a large one centre
    // the focus or the first column at a readable scale.
    var r = svg.getBoundingClientRect(), W = r.width || 800, H = r.height || 500;
    var gw = maxX - minX + BOX_W + 40, gh = maxY - minY + BOX_H + 40, fitK = Math.min(W / gw, H / gh);
    view.k = Math.min(1, fitK);
    if (big && view.k < 0.45) view.k = 0.6;
    var fi = g.focus != null ? g.keys.indexOf(g.focus) : -1;
    if (view.k <= fitK + 1e-9) { // all of it fits: centre it
      view.tx = (W - (maxX + minX) * view.k) / 2; view.ty = (H - (maxY + minY) * view.k) / 2;
    } else if (fi >= 0) {
      view.tx = W / 2 - L.x[fi] * view.k; view.ty = H / 2 - L.y[fi] * view.k;
    } else { // the first column, from its middle
      view.tx = 20 + hw * view.k - minX * view.k; view.ty = H / 2;
    }
    redraw();
    var drag = null, moved = false;
    svg.addEventListener("pointerdown", function (e) { drag = [e.clientX, e.clientY, view.tx, view.ty]; moved = false; });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag[0], dy = e.clientY - drag[1];
      if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
      if (moved) { view.tx = drag[2] + dx; view.ty = drag[3] + dy; redraw(); }
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var rr = svg.getBoundingClientRect(), px = e.clientX - rr.left, py = e.clientY - rr.top;
      var k = Math.max(0.02, Math.min(3, view.k * Math.exp(-e.deltaY * 0.0015)));
      view.tx = px - (px - view.tx) * k / view.k; view.ty = py - (py - view.ty) * k / view.k; view.k = k;
      redraw();
    }, { passive: false });
    svg.addEventListener("click", function (e) {
      if (moved) return;
      var rr = svg.getBoundingClientRect(), gx = (e.clientX - rr.left - view.tx) / view.k, gy = (e.clientY - rr.top - view.ty) / view.k;
      for (var i = 0; i < n; i++) {
        if (Math.abs(gx - L.x[i]) <= hw && Math.abs(gy - L.y[i]) <= hh) { g.click(g.keys[i]); return; }
      }
    });
  }
})();
