/* source-audit report. Index: sort the tables, filter the documents. Document page: clicking or
   focusing a claim shows its finding; filter findings by verdict, rule and suppression; move between
   findings with n/j and p/k. Optional: without it every finding is listed and every claim links to it.
   No network, no storage, no inline handlers: the page's Content-Security-Policy allows this file only. */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }
  function toArray(list) { return Array.prototype.slice.call(list); }

  /* Tables: a button in every sortable column heading; numbers sort largest first on the first click. */
  function sortableTables() {
    toArray(document.querySelectorAll("table.sortable")).forEach(function (table) {
      var headers = toArray(table.tHead.rows[0].cells);
      var body = table.tBodies[0];
      toArray(body.rows).forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
      headers.forEach(function (th, column) {
        var type = th.getAttribute("data-sort-type");
        if (!type) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () {
          var was = th.getAttribute("aria-sort");
          var descending = was ? was === "ascending" : type === "number";
          headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          var rows = toArray(body.rows);
          rows.sort(function (a, b) {
            var x = sortKey(a.cells[column], type), y = sortKey(b.cells[column], type);
            var order = type === "number" ? x - y : x.localeCompare(y);
            if (descending) order = -order;
            return order || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function sortKey(cell, type) {
    if (!cell) return type === "number" ? 0 : "";
    var value = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent.trim();
    if (type === "number") {
      var number = parseFloat(value);
      return isNaN(number) ? -1 : number;
    }
    return value.toLowerCase();
  }

  /* Index: search box and "show" selector over the documents table. */
  function documentFilter() {
    var controls = byId("document-controls");
    if (!controls) return;
    var search = byId("document-search");
    var show = byId("document-show");
    var status = byId("document-count");
    var rows = toArray(document.querySelectorAll("#document-table tbody tr"));
    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var mode = show.value;
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search") || "";
        var on = words.every(function (word) { return text.indexOf(word) !== -1; });
        if (on && mode !== "all") on = Number(row.getAttribute("data-" + mode)) > 0;
        row.hidden = !on;
        if (on) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " document" + (rows.length === 1 ? "" : "s");
    }
    controls.hidden = false;
    search.addEventListener("input", apply);
    show.addEventListener("change", apply);
    apply();
  }

  /* Document page. */
  function findingsPage() {
    var list = byId("findings");
    var pane = byId("findings-pane");
    var controls = byId("finding-controls");
    if (!list || !pane || !controls) return;
    var findings = toArray(list.querySelectorAll("li.finding"));
    var byNumber = {};
    var marksOf = {};
    findings.forEach(function (li) { byNumber[li.getAttribute("data-n")] = li; marksOf[li.getAttribute("data-n")] = []; });
    toArray(document.querySelectorAll('.article-text a.hl[href^="#f-"]')).forEach(function (link) {
      var marks = marksOf[number(link)];
      if (marks) marks.push(link);
    });
    // Reading order: where each finding's claim starts in the text.
    var order = findings.slice().sort(function (a, b) {
      var x = byId("t-" + a.getAttribute("data-n")), y = byId("t-" + b.getAttribute("data-n"));
      if (!x || !y) return (x ? -1 : y ? 1 : 0) || Number(a.getAttribute("data-n")) - Number(b.getAttribute("data-n"));
      return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var verdictBoxes = toArray(controls.querySelectorAll('input[name="verdict"]'));
    var ruleSelect = byId("rule-filter");
    var suppressedBox = byId("show-suppressed");
    var position = byId("finding-position");
    var current = null;
    var moving = false;  // focus is being moved by the script: keep the finding it chose

    function number(link) { return link.getAttribute("href").slice(3); }
    function isOn(li) { return !li.classList.contains("off"); }

    // The link in the text where a finding's claim (or one of its occurrences) starts.
    function claimLink(n, occurrence) {
      var node = byId("t-" + n + (occurrence ? "-" + occurrence : ""));
      while (node && !(node.matches && node.matches("a.hl"))) node = node.nextElementSibling;
      return node;
    }

    function paneScrolls() {
      return window.getComputedStyle(pane).overflowY !== "visible" && pane.scrollHeight > pane.clientHeight + 1;
    }

    function reveal(li, scrollPage) {
      if (paneScrolls()) {
        var box = li.getBoundingClientRect();
        var paneBox = pane.getBoundingClientRect();
        var top = window.getComputedStyle(controls).position === "sticky" ?
          controls.getBoundingClientRect().bottom : paneBox.top;
        if (box.top < top + 4 || box.bottom > paneBox.bottom) {
          pane.scrollTop += box.top - top - 8;
        }
      } else if (scrollPage) {
        li.scrollIntoView({ block: "nearest" });
      }
    }

    function select(n, scrollPage) {
      if (current && byNumber[current]) {
        byNumber[current].classList.remove("current");
        marksOf[current].forEach(function (link) { link.classList.remove("current"); });
      }
      current = byNumber[n] ? n : null;
      if (current) {
        byNumber[n].classList.add("current");
        marksOf[n].forEach(function (link) { link.classList.add("current"); });
        reveal(byNumber[n], scrollPage);
      }
      updatePosition();
    }

    function focusClaim(n, occurrence) {
      var link = claimLink(n, occurrence);
      if (!link) return false;
      var folded = link.closest("details");
      if (folded && !folded.open) folded.open = true;  // a claim in the front matter
      moving = true;
      try { link.focus(); } finally { moving = false; }
      return true;
    }

    function go(n) {
      if (!focusClaim(n)) byNumber[n].focus();
      select(n, true);
    }

    function step(direction) {
      var visible = order.filter(isOn);
      if (!visible.length) return;
      var index = current ? order.indexOf(byNumber[current]) : -1;
      var next = null;
      if (direction > 0) {
        for (var i = index + 1; i < order.length && !next; i += 1) if (isOn(order[i])) next = order[i];
        next = next || visible[0];
      } else {
        for (var j = (index === -1 ? order.length : index) - 1; j >= 0 && !next; j -= 1) if (isOn(order[j])) next = order[j];
        next = next || visible[visible.length - 1];
      }
      go(next.getAttribute("data-n"));
    }

    function updatePosition() {
      var visible = order.filter(isOn);
      var index = current ? visible.indexOf(byNumber[current]) : -1;
      var total = visible.length + (visible.length === findings.length ? "" : " shown of " + findings.length);
      position.textContent = index === -1 ? total + " finding" + (findings.length === 1 ? "" : "s")
        : "Finding " + (index + 1) + " of " + total;
    }

    function applyFilter() {
      var verdicts = {};
      verdictBoxes.forEach(function (box) { verdicts[box.value] = box.checked; });
      var rule = ruleSelect ? ruleSelect.value : "";
      var showSuppressed = !suppressedBox || suppressedBox.checked;
      findings.forEach(function (li) {
        var on = Boolean(verdicts[li.getAttribute("data-verdict")]) &&
          (!rule || li.getAttribute("data-rule") === rule) &&
          (showSuppressed || !li.hasAttribute("data-suppressed"));
        li.classList.toggle("off", !on);
        marksOf[li.getAttribute("data-n")].forEach(function (link) {
          link.classList.toggle("off", !on);
          if (on) link.removeAttribute("tabindex"); else link.setAttribute("tabindex", "-1");
        });
      });
      updatePosition();
    }

    controls.hidden = false;
    controls.addEventListener("change", applyFilter);
    byId("previous-finding").addEventListener("click", function () { step(-1); });
    byId("next-finding").addEventListener("click", function () { step(1); });

    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      if (!link) return;
      var href = link.getAttribute("href") || "";
      if (link.matches('.article-text a.hl[href^="#f-"]')) {
        event.preventDefault();
        if (link.classList.contains("off")) return;
        var n = number(link);
        select(n, true);
        byNumber[n].focus({ preventScroll: paneScrolls() });
      } else if (/^#t-\d+(-\d+)?$/.test(href) && link.closest("li.finding")) {
        // "line 3, column 7" in a finding: go to the claim in the text and keep this finding shown.
        var parts = href.slice(3).split("-");
        if (focusClaim(parts[0], parts[1])) {
          event.preventDefault();
          select(parts[0], false);
        }
      }
    });

    document.addEventListener("focusin", function (event) {
      var link = event.target;
      if (moving || !link.matches || !link.matches('.article-text a.hl[href^="#f-"]') || link.classList.contains("off")) return;
      select(number(link), false);
    });

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      var target = event.target;
      if (target.closest && target.closest('input:not([type="checkbox"]), select, textarea, [contenteditable]')) return;
      if (event.key === "n" || event.key === "j") {
        event.preventDefault();
        step(1);
      } else if (event.key === "p" || event.key === "k") {
        event.preventDefault();
        step(-1);
      } else if (event.key === "Escape" && current && pane.contains(target)) {
        event.preventDefault();
        focusClaim(current);
      }
    });

    applyFilter();
    var target = /^#f-(\d+)$/.exec(window.location.hash);
    if (target && byNumber[target[1]]) select(target[1], false);
  }

  sortableTables();
  documentFilter();
  findingsPage();
})();
