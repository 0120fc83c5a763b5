// 技能山东 — the platform's few lines of its own script. A form with data-confirm asks before it submits
// (status moves and publication cannot be undone); htmx requests carry the CSRF token set on <body>.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
