// playbook default theme: draws the shared navigation (nav.js) into the
// sidebar, highlights the current page, filters it by context, opens it as a
// drawer on narrow screens, and follows previous/next with the arrow keys.
// Everything read from nav.js or storage is set as text, never as HTML.
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = doc.getAttribute("data-root") || "";
  var here = doc.getAttribute("data-path") || "";
  var FILTER_KEY = "playbook-context";

  function drawNav() {
    var nav = window.playbookNav;
    var holder = document.getElementById("pb-nav");
    if (!nav || !Array.isArray(nav.sections) || !holder) return;
    var fragment = document.createDocumentFragment();
    var home = document.createElement("ul");
    home.appendChild(navItem("index.html", "Home", null));
    fragment.appendChild(home);
    nav.sections.forEach(function (section) {
      var group = document.createElement("div");
      group.className = "nav-group";
      if (section.title) {
        var heading = document.createElement("p");
        heading.className = "nav-section";
        heading.textContent = section.title;
        group.appendChild(heading);
      }
      var list = document.createElement("ul");
      section.pages.forEach(function (page) { list.appendChild(navItem(page.path, page.title, page.contexts)); });
      group.appendChild(list);
      fragment.appendChild(group);
    });
    holder.replaceChildren(fragment);
    drawFilter(nav.contexts || []);
    var current = holder.querySelector('[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  }

  function navItem(path, title, contexts) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + path;
    link.textContent = title;
    if (path === here) link.setAttribute("aria-current", "page");
    if (contexts) item.setAttribute("data-contexts", contexts.join(" "));
    item.appendChild(link);
    return item;
  }

  // "Show what applies to a platform team": hides pages of other contexts.
  function drawFilter(contexts) {
    var holder = document.getElementById("pb-filter");
    if (!holder || contexts.length === 0) return;
    var label = document.createElement("label");
    label.setAttribute("for", "pb-context-filter");
    label.textContent = "Show pages for";
    var select = document.createElement("select");
    select.id = "pb-context-filter";
    select.appendChild(new Option("Every context", ""));
    contexts.forEach(function (c) { select.appendChild(new Option(c.name, c.id)); });
    var saved = "";
    try { saved = localStorage.getItem(FILTER_KEY) || ""; } catch (e) { /* storage may be off */ }
    if (contexts.some(function (c) { return c.id === saved; })) select.value = saved;
    select.addEventListener("change", function () {
      try { localStorage.setItem(FILTER_KEY, select.value); } catch (e) { /* ignore */ }
      applyFilter(select.value);
    });
    holder.replaceChildren(label, select);
    holder.hidden = false;
    applyFilter(select.value);
  }

  function applyFilter(context) {
    document.querySelectorAll("#pb-nav li[data-contexts]").forEach(function (item) {
      var applies = !context || item.getAttribute("data-contexts").split(" ").indexOf(context) >= 0;
      var isCurrent = item.querySelector('[aria-current="page"]') !== null;
      item.hidden = !(applies || isCurrent);
    });
    document.querySelectorAll("#pb-nav .nav-group").forEach(function (group) {
      group.hidden = group.querySelector("li:not([hidden])") === null;
    });
  }

  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var sidebar = document.getElementById("pb-sidebar");
    if (!button || !sidebar) return;
    function setOpen(open, focusTarget) {
      doc.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", String(open));
      if (focusTarget) focusTarget.focus();
    }
    button.addEventListener("click", function () {
      var open = !doc.classList.contains("nav-open");
      setOpen(open, open ? (sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a")) : null);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && doc.classList.contains("nav-open")) setOpen(false, button);
    });
    document.addEventListener("click", function (event) {
      if (doc.classList.contains("nav-open") && !sidebar.contains(event.target) && !button.contains(event.target)) setOpen(false, null);
    });
  }

  // Left and right arrows follow the previous and next links, unless the
  // reader is typing or holding a modifier.
  function setUpArrows() {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
      if (!rel) return;
      var link = document.querySelector('.pager a[rel="' + rel + '"]');
      if (link) { event.preventDefault(); window.location.href = link.href; }
    });
  }

  drawNav();
  setUpMenu();
  setUpArrows();
})();
