// Filters the submission table and opens a problem's details from the address (#sub-…).
// Reads and writes text and attributes only: no HTML is ever built from data.
(function () {
  "use strict";
  var table = document.getElementById("submissions");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var office = document.getElementById("f-office");
  var district = document.getElementById("f-district");
  var year = document.getElementById("f-year");
  var status = document.getElementById("f-status");
  var hideSuperseded = document.getElementById("f-current");
  var count = document.getElementById("f-count");

  function matches(tr) {
    var d = tr.dataset;
    var q = office.value.trim();
    return (!q || d.office.indexOf(q) >= 0 || d.source.indexOf(q) >= 0) &&
      (!district.value || d.district === district.value) &&
      (!year.value || d.year === year.value) &&
      (!status.value || d.status === status.value) &&
      (!hideSuperseded.checked || d.superseded !== "1");
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = matches(tr);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 份";
  }

  function openFromAddress() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
    }
  }

  [office, district, year, status, hideSuperseded].forEach(function (el) {
    el.addEventListener("input", applyFilters);
    el.addEventListener("change", applyFilters);
  });
  window.addEventListener("hashchange", openFromAddress);
  // A second click on the same link changes no address: open the details all the same.
  table.addEventListener("click", function (event) {
    if (event.target.closest("a[href^='#']")) { window.setTimeout(openFromAddress, 0); }
  });
  applyFilters();
  openFromAddress();
})();
