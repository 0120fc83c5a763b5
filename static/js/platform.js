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

// A table wider than a phone scrolls sideways inside its .table-wrap; keyboard users reach that scroll only when
// the region can take focus, so each wrap that actually overflows gets tabindex=0 and a label (WCAG 2.1.1,
// axe's scrollable-region-focusable), on load, after an htmx swap and when the window is resized.
function focusableScrollRegions(root) {
  var wraps = (root || document).querySelectorAll(".table-wrap");
  for (var i = 0; i < wraps.length; i++) {
    var wrap = wraps[i];
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("aria-label")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.documentElement.lang === "en" ? "Table (scrolls sideways)" : "表格（可左右滚动）"));
      }
    } else if (wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", function () { focusableScrollRegions(document); });
document.addEventListener("htmx:load", function () { focusableScrollRegions(document); });
window.addEventListener("resize", function () { focusableScrollRegions(document); });

// The scheme page shows the total of the maximum marks as one types (the server judges every rule on save).
function schemeTotal(form) {
  var output = form.querySelector("[data-scheme-total]");
  if (!output) { return; }
  var total = 0;
  var inputs = form.querySelectorAll("input[data-max-mark]");
  for (var i = 0; i < inputs.length; i++) {
    var value = Number(String(inputs[i].value).replace(",", "."));
    if (inputs[i].value.trim() !== "" && isFinite(value)) { total += value; }
  }
  total = Math.round(total * 10000) / 10000;
  output.textContent = String(total);
  var ok = total === Number(output.dataset.target || 100);
  output.classList.toggle("ok", ok);
  output.classList.toggle("bad", !ok);
}
document.addEventListener("input", function (event) {
  var form = event.target && event.target.closest ? event.target.closest("form[data-scheme]") : null;
  if (form) { schemeTotal(form); }
});

// A button with data-print prints the page (the printable results notice; its print stylesheet drops the shell).
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) { window.print(); }
});

// A checkbox with data-select-all="NAME" ticks or unticks every checkbox named NAME (bulk review of registrations).
document.addEventListener("change", function (event) {
  var box = event.target;
  var name = box && box.dataset ? box.dataset.selectAll : null;
  if (!name) { return; }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  for (var i = 0; i < boxes.length; i++) { boxes[i].checked = box.checked; }
});

// The marking page (issue 10 item 3) saves one cell with htmx and gets the cell back, value, state and message. A
// value refused by the rules (422), a locked sheet or closed stage (409) or a cell no longer the referee's (403)
// comes back as a cell with its message too, so it is swapped in like a success. After each swap the progress
// counters are counted again from the cells (data-marked) and the cell's message is read out once through the
// page's live region. A request that gets no cell back (network lost, server error) leaves the cell and its
// idempotency key as they were, says so in the cell, and saving again is a retry of the same attempt.
// Only a cell is swapped into a cell: the server marks its answer with X-Marking-Cell. Anything else is the login
// page after a redirect (the session ended: go there, and it brings the referee back) or an error page (a CSRF
// refusal, a server error), which stays out of the sheet and is reported in the cell instead.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (!(target instanceof Element) || !target.matches("[data-cell]")) { return; }
  var xhr = event.detail.xhr;
  if (xhr.getResponseHeader("X-Marking-Cell") === "1") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    return;
  }
  event.detail.shouldSwap = false;
  event.detail.isError = true;
  var asked = new URL(event.detail.pathInfo.requestPath, window.location.href);
  if (xhr.responseURL && new URL(xhr.responseURL).pathname !== asked.pathname) {
    window.location.assign(xhr.responseURL);
  }
});

function announce(text) {
  var region = document.querySelector("[data-marking-announcer]");
  if (region) { region.textContent = ""; region.textContent = text; }
}

function markingProgress() {
  var done = document.querySelector("[data-progress-done]");
  if (!done) { return; }
  var cells = document.querySelectorAll("[data-cell]");
  var marked = 0;
  var perWorkstation = {};
  for (var i = 0; i < cells.length; i++) {
    var no = cells[i].dataset.workstation;
    perWorkstation[no] = (perWorkstation[no] || 0) + (cells[i].hasAttribute("data-marked") ? 1 : 0);
    if (cells[i].hasAttribute("data-marked")) { marked += 1; }
  }
  done.textContent = String(marked);
  var bar = done.closest(".marking-progress").querySelector("[role=progressbar]");
  if (bar) {
    bar.setAttribute("aria-valuenow", String(marked));
    var span = bar.querySelector("span[data-percent]");
    var total = Number(bar.getAttribute("aria-valuemax")) || 0;
    if (span) { span.dataset.percent = String(total ? Math.round(100 * marked / total) : 0); }
    showProgress(bar.parentNode);
  }
  var counters = document.querySelectorAll("[data-ws-done]");
  for (var j = 0; j < counters.length; j++) {
    var count = perWorkstation[counters[j].dataset.wsDone];
    if (count !== undefined) { counters[j].textContent = String(count); }
  }
}

document.addEventListener("htmx:load", function (event) {
  var cell = event.target;
  if (!(cell instanceof Element) || !cell.matches("[data-cell]")) { return; }
  markingProgress();
  var message = cell.querySelector("[data-cell-message]");
  if (message && message.textContent.trim()) { announce(message.textContent.trim()); }
});

function markingFailed(event) {
  var form = event.detail.elt;
  var cell = form instanceof Element ? form.closest("[data-cell]") : null;
  if (!cell) { return; }
  var message = cell.querySelector("[data-cell-message]");
  if (message) {
    message.textContent = cell.dataset.failed;
    message.className = "cell-msg error";
    message.dataset.code = "mark.not_saved";
  }
  announce(cell.dataset.failed);
}
document.addEventListener("htmx:sendError", markingFailed);
document.addEventListener("htmx:responseError", markingFailed);
