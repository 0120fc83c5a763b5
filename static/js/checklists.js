/* The checklists' forms (templates/talentpool/checklists/): add and remove repeating rows (posts and their skill
   points, training needs, majors …) from each section's <template>; a new post gets a fresh key that ties its
   skill rows to it. No inline code: the Content-Security-Policy allows our own scripts only. */
(function () {
  "use strict";
  var counter = 0;
  function freshKey() { counter += 1; return "n" + Date.now().toString(36) + counter; }
  function clone(form, name) {
    var template = form.querySelector('template[data-template="' + name + '"]');
    return template ? template.content.firstElementChild.cloneNode(true) : null;
  }
  function renumber(container) {
    Array.prototype.forEach.call(container.querySelectorAll(":scope > [data-row]"), function (row, i) {
      var number = row.querySelector("[data-number]");
      if (number) { number.textContent = String(i + 1); }
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var form = target.closest("form.checklist-form");
    if (!form) { return; }
    var add = target.closest("[data-add]");
    if (add) {
      var name = add.getAttribute("data-add");
      var row = clone(form, name);
      var rows = form.querySelector('[data-rows="' + name + '"]');
      if (row && rows) {
        var key = row.querySelector("[data-post-key]");
        if (key) { key.value = freshKey(); }
        rows.appendChild(row);
        renumber(rows);
        var first = row.querySelector("input:not([type=hidden]), select, textarea");
        if (first) { first.focus(); }
      }
      return;
    }
    if (target.closest("[data-add-skill]")) {
      var post = target.closest("[data-post]");
      var skill = clone(form, "skills");
      if (post && skill) {
        skill.querySelector("[data-skill-post]").value = post.querySelector("[data-post-key]").value;
        post.querySelector("[data-skill-rows]").appendChild(skill);
        var input = skill.querySelector("input:not([type=hidden])");
        if (input) { input.focus(); }
      }
      return;
    }
    if (target.closest("[data-remove-skill]")) {
      target.closest("[data-skill]").remove();
      return;
    }
    if (target.closest("[data-remove]")) {
      var gone = target.closest("[data-row]");
      var parent = gone.parentElement;
      gone.remove();
      renumber(parent);
    }
  });
})();
