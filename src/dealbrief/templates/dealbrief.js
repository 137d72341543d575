// The dashboard's table of every deal: sort by a column (click or Enter on its heading), filter by stage, sales
// engineer, account executive and any text. Shipped with the site (no CDN). Material swaps pages without reloading
// scripts, so this runs on each page it shows and does nothing where there is no deal table.
(function () {
  "use strict";

  function setUp() {
    var holder = document.querySelector(".db-deals");
    if (!holder || holder.dataset.ready) return;
    holder.dataset.ready = "yes";
    var table = holder.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var names = headings.map(function (cell) { return cell.textContent.trim(); });
    var text = function (row, i) { return row.cells[i] ? row.cells[i].textContent.trim() : ""; };

    var bar = document.createElement("div");
    bar.className = "db-filters";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter deals";
    search.setAttribute("aria-label", "Filter deals by any text");
    bar.appendChild(search);
    var choices = ["Stage", "SE", "AE"].map(function (name) {
      var i = names.indexOf(name);
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + name);
      select.appendChild(new Option("Every " + (name === "Stage" ? "stage" : name), ""));
      var values = rows.map(function (row) { return text(row, i); }).filter(function (value, at, all) {
        return value && all.indexOf(value) === at;
      }).sort();
      values.forEach(function (value) { select.appendChild(new Option(value, value)); });
      bar.appendChild(select);
      return [i, select];
    });
    var count = document.createElement("span");
    count.className = "db-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    holder.parentNode.insertBefore(bar, holder);

    function filter() {
      var wanted = search.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var keep = (!wanted || row.textContent.toLowerCase().indexOf(wanted) >= 0) && choices.every(function (choice) {
          return !choice[1].value || text(row, choice[0]) === choice[1].value;
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " deals";
    }

    function mark(row, i) { return row.cells[i] && row.cells[i].querySelector("[data-sort]"); }

    // A cell's sort key: its data-sort number in a column of numbers, its text in a column of text; null where it has
    // none (an invalid deal's figures, an empty cell), which sorts last either way rather than among the values.
    function key(row, i, numbers) {
      var found = mark(row, i);
      if (found) return found.dataset.sort === "" ? Infinity : Number(found.dataset.sort);
      var value = text(row, i).toLowerCase();
      return numbers || !value ? null : value;
    }

    headings.forEach(function (heading, i) {
      var numbers = rows.some(function (row) { return mark(row, i); });
      heading.tabIndex = 0;
      heading.setAttribute("aria-sort", "none");
      heading.title = "Sort by " + names[i];
      function sort() {
        var direction = heading.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        headings.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        heading.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a, i, numbers), y = key(b, i, numbers);
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
          return (x > y ? 1 : x < y ? -1 : 0) * direction;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      heading.addEventListener("click", sort);
      heading.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });

    search.addEventListener("input", filter);
    choices.forEach(function (choice) { choice[1].addEventListener("change", filter); });
    filter();
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
