(function () {
  "use strict";
  var ORDER = { failed: 0, lossy: 1, converted: 2, unchanged: 3, skipped: 4 };
  var table = document.getElementById("posts");
  var tbody = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
  var filter = document.getElementById("status-filter");
  var shown = document.getElementById("shown");

  function key(row, column) {
    if (column === "diagnostics") { return Number(row.dataset.diagnostics); }
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
    var count = 0;
    document.querySelectorAll("tr.post-row, details.post").forEach(function (el) {
      el.hidden = wanted !== "all" && el.dataset.status !== wanted;
      if (!el.hidden && el.tagName === "TR") { count += 1; }
    });
    shown.textContent = String(count);
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
  window.addEventListener("hashchange", openTarget);

  sortBy("status", false);
  applyFilter();
  openTarget();
  document.body.dataset.ready = "1";
})();
