// 技能山东 — the platform's few lines of its own script. A form with data-confirm asks before it submits
// (status moves and publication cannot be undone); htmx requests carry the CSRF token set on <body>; a progress
// bar takes its width from data-percent (the Content-Security-Policy refuses inline style attributes).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

function showProgress(root) {
  var bars = (root || document).querySelectorAll(".progress > span[data-percent]");
  for (var i = 0; i < bars.length; i++) {
    bars[i].style.width = Math.max(0, Math.min(100, Number(bars[i].dataset.percent) || 0)) + "%";
  }
}
document.addEventListener("DOMContentLoaded", function () { showProgress(document); });
document.addEventListener("htmx:load", function (event) { showProgress(event.target); });

// A checkbox with data-select-all="NAME" ticks or unticks every checkbox named NAME (bulk review of registrations).
document.addEventListener("change", function (event) {
  var box = event.target;
  var name = box && box.dataset ? box.dataset.selectAll : null;
  if (!name) { return; }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  for (var i = 0; i < boxes.length; i++) { boxes[i].checked = box.checked; }
});
