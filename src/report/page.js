(function () {
  "use strict";
  var ORDER = { failed: 0, lossy: 1, converted: 2, unchanged: 3, skipped: 4 };
  var LIMIT = 200;
  var table = document.getElementById("posts");
  var tbody = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
  var filter = document.getElementById("status-filter");
  var search = document.getElementById("path-search");
  var results = document.getElementById("search-results");
  var shown = document.getElementById("shown");
  var folders = Array.prototype.slice.call(document.querySelectorAll("details.folder"));

  function key(row, column) {
    if (column === "warnings") { return Number(row.dataset.warnings); }
    if (column === "status") { return ORDER[row.dataset.status]; }
    return row.dataset.path;
  }

  function compare(a, b) {
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  function sortBy(column, descending) {
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var order = compare(key(a, column), key(b, column));
      if (descending) { order = -order; }
      return order || compare(a.dataset.path, b.dataset.path);
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    headers.forEach(function (th) {
      var state = descending ? "descending" : "ascending";
      th.setAttribute("aria-sort", th.dataset.sort === column ? state : "none");
    });
  }

  function applyFilter() {
    var wanted = filter.value;
    var needle = search.value.toLowerCase();
    var count = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var status = wanted === "all" || row.dataset.status === wanted;
      var path = row.dataset.path.toLowerCase().indexOf(needle) !== -1;
      row.hidden = !(status && path);
      if (!row.hidden) { count += 1; }
    });
    shown.textContent = String(count);
    findClean(needle);
  }

  // Clean posts are names in their folder's list: a search lists the
  // matching paths (the first LIMIT) without opening every folder.
  function findClean(needle) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    results.hidden = needle === "";
    if (results.hidden) { return; }
    var found = 0;
    folders.forEach(function (folder) {
      var prefix = folder.dataset.folder ? folder.dataset.folder + "/" : "";
      var names = folder.querySelector("pre.names").textContent.split("\n");
      names.forEach(function (name) {
        var path = prefix + name;
        if (name === "" || path.toLowerCase().indexOf(needle) === -1) { return; }
        found += 1;
        if (found > LIMIT) { return; }
        var item = document.createElement("li");
        item.textContent = path + " (clean)";
        results.appendChild(item);
      });
    });
    var note = document.createElement("li");
    note.className = "muted";
    note.textContent = found > LIMIT
      ? found + " clean posts match; the first " + LIMIT + " are listed"
      : found + " clean posts match";
    results.appendChild(note);
  }

  function openTarget() {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  headers.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      sortBy(th.dataset.sort, th.getAttribute("aria-sort") === "ascending");
    });
  });
  filter.addEventListener("change", applyFilter);
  search.addEventListener("input", applyFilter);
  window.addEventListener("hashchange", openTarget);

  sortBy("status", false);
  applyFilter();
  openTarget();
  document.body.dataset.ready = "1";
})();
