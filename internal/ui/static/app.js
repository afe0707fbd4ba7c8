// Qalxan — progressive enhancement only: every page works without this file.
// Keyboard shortcuts (/ j k Enter ? g d g o), confirmation of destructive
// forms (data-confirm) and sorting of the rows shown (th[data-sort]).
(function () {
  "use strict";

  // Typing in a field must never trigger a shortcut.
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // ----- List navigation: j/k move a selection through table rows, Enter opens.

  var selected = null;

  function rows() {
    var t = document.querySelector("table[data-nav]");
    if (!t) return [];
    return Array.prototype.filter.call(t.tBodies[0] ? t.tBodies[0].rows : [], function (r) {
      return r.querySelector("a[href]");
    });
  }

  function select(row) {
    if (selected) selected.classList.remove("selected");
    selected = row;
    if (!row) return;
    row.classList.add("selected");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var rs = rows();
    if (!rs.length) return;
    var i = rs.indexOf(selected);
    i = i < 0 ? (step > 0 ? 0 : rs.length - 1) : Math.min(rs.length - 1, Math.max(0, i + step));
    select(rs[i]);
  }

  // ----- Shortcut help.

  function toggleHelp() {
    var d = document.getElementById("shortcuts");
    if (!d) return;
    if (d.open) d.close();
    else d.showModal();
  }

  var pendingG = 0; // time of a "g" waiting for its second key

  // focused is the element keys go to, taking the body for a control of a
  // closed dialog: the shortcut help's close button keeps the focus until
  // the dialog's close event blurs it, and on a busy machine j and Enter
  // pressed right after Esc came first, so Enter "pressed" that button.
  function focused() {
    var f = document.activeElement || document.body;
    return f.closest("dialog:not([open])") ? document.body : f;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open && e.key !== "?") return; // Esc closes it natively
    if (pendingG && Date.now() - pendingG < 1000) {
      pendingG = 0;
      if (e.key === "d") { location.href = "/"; e.preventDefault(); return; }
      if (e.key === "o") { location.href = "/orgs"; e.preventDefault(); return; }
    }
    pendingG = 0;
    switch (e.key) {
      case "/":
        var s = document.getElementById("search");
        if (s) { s.focus(); s.select(); e.preventDefault(); }
        break;
      case "j": move(1); e.preventDefault(); break;
      case "k": move(-1); e.preventDefault(); break;
      case "Enter":
        // Only when Enter has nothing else to do: on a link or a button it
        // must keep its own meaning.
        if (selected && !focused().closest("a, button, summary, [tabindex]")) {
          var a = selected.querySelector("a[href]");
          if (a) { a.click(); e.preventDefault(); }
        }
        break;
      case "?": toggleHelp(); e.preventDefault(); break;
      case "g": pendingG = Date.now(); break;
    }
  });

  // ----- Destructive forms ask once.

  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);

  // ----- Click handlers: shortcut help button, sortable headers.

  document.addEventListener("click", function (e) {
    var help = e.target.closest("[data-shortcuts]");
    if (help) { toggleHelp(); return; }
    var th = e.target.closest("th[data-sort]");
    if (th) sortBy(th);
  });

  // Sorting reorders only the rows on the page; the server's order (and
  // the cursor of the next page) stay as they were.
  function cellValue(row, i, numeric) {
    var c = row.cells[i];
    if (!c) return numeric ? 0 : "";
    var v = c.hasAttribute("data-value") ? c.getAttribute("data-value") : c.textContent.trim();
    return numeric ? parseFloat(v) || 0 : v.toLowerCase();
  }

  function sortBy(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var i = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var numeric = th.getAttribute("data-sort") === "num" || th.parentNode.cells[i].classList.contains("num");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rs = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.querySelector(".empty"); });
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
    rs.sort(function (a, b) {
      var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric);
      var d = numeric ? x - y : collator.compare(x, y);
      return asc ? d : -d;
    });
    rs.forEach(function (r) { body.appendChild(r); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A dialog opened from the page body gives focus back to nothing, which
    // leaves it on the hidden close button; j, k and Enter must work again.
    var help = document.getElementById("shortcuts");
    if (help) help.addEventListener("close", function () {
      if (help.contains(document.activeElement)) document.activeElement.blur();
    });
    // Sortable headers are reachable and operable from the keyboard too.
    Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
      th.tabIndex = 0;
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { sortBy(th); e.preventDefault(); }
      });
    });
  });
})();
