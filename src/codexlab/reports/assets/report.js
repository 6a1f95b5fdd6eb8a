// Switch between the overview and one problem's view from the URL fragment (works from file://, no server).
(function () {
  function show() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && id.indexOf("problem-") === 0 ? document.getElementById(id) : null;
    document.getElementById("overview").hidden = !!target;
    document.querySelectorAll("section.problem").forEach(function (s) { s.hidden = s !== target; });
    window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", show);
  show();
  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      document.querySelectorAll("#problems tr[data-rate]").forEach(function (tr) {
        tr.hidden = tr.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }
})();
