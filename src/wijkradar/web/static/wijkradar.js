// Progressive enhancement only: hovering or focusing an area on the map highlights its row in
// the table beside it. Forms are never auto-submitted (WCAG 3.2.2); every page works without JS.
// The area code is the last path segment of the link (no data attribute: it would add bytes to
// every area of a national map).
document.querySelectorAll("svg.wr-map a").forEach(function (link) {
  var code = link.getAttribute("href").split("?")[0].split("/").pop();
  var row = document.querySelector('tr[data-code="' + code + '"]');
  if (!row) { return; }
  var on = function () { row.classList.add("hl"); };
  var off = function () { row.classList.remove("hl"); };
  link.addEventListener("mouseenter", on); link.addEventListener("focus", on);
  link.addEventListener("mouseleave", off); link.addEventListener("blur", off);
});
