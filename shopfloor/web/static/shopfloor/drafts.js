/* Drafts of workspace forms that survive a dropped connection (see shopfloor/web/drafts.py).
   What is typed into a form with data-draft="key" is kept in this phone's localStorage
   (never files, never the CSRF token) and put back when the form is opened again; the page
   after a successful save names the drafts to forget in <body data-clear-drafts>, and
   signing out clears the site's storage (Clear-Site-Data). */
(function () {
  "use strict";
  var PREFIX = "shopfloor-draft:";
  var store;
  try { store = window.localStorage; store.getItem(PREFIX); } catch (e) { return; }

  (document.body.getAttribute("data-clear-drafts") || "").split(" ").forEach(function (key) {
    if (key) { store.removeItem(PREFIX + key); }
  });

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.type !== "button"
        && el.name !== "csrfmiddlewaretoken";
    });
  }

  function save(form, key) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); }
      } else { data[el.name] = [el.value]; }
    });
    try { store.setItem(PREFIX + key, JSON.stringify(data)); } catch (e) { /* full */ }
  }

  function restore(form, key) {
    var raw = store.getItem(PREFIX + key);
    if (!raw || form.querySelector(".error, .errors")) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    fields(form).forEach(function (el) {
      var values = data[el.name];
      if (!values) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; }
      else { el.value = values[0]; }
    });
    return true;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = form.getAttribute("data-draft");
    if (!key) { return; }
    var note = form.querySelector(".draft-note");
    if (restore(form, key) && note) { note.hidden = false; }
    form.addEventListener("input", function () { save(form, key); });
    form.addEventListener("change", function () { save(form, key); });
    var discard = form.querySelector("[data-discard-draft]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(PREFIX + key);
        form.reset();
        if (note) { note.hidden = true; }
      });
    }
  });
}());
