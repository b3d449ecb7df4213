/* Filter findings (and their marks in the text) by verdict. Optional: without it, all show. */
(function () {
  "use strict";
  var filter = document.getElementById("verdict-filter");
  var main = document.getElementById("main");
  if (!filter || !main) return;
  filter.hidden = false;
  filter.addEventListener("change", function (event) {
    var box = event.target;
    main.classList.toggle("hide-" + box.value, !box.checked);
  });
})();
