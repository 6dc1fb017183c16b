// playbook default theme: draws the shared navigation (nav.js) into the
// sidebar, highlights the current page, and opens the sidebar as a drawer on
// narrow screens. Everything read from nav.js is set as text, never as HTML.
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = doc.getAttribute("data-root") || "";
  var here = doc.getAttribute("data-path") || "";

  function drawNav() {
    var sections = window.playbookNav;
    var holder = document.getElementById("pb-nav");
    if (!Array.isArray(sections) || !holder) return;
    var fragment = document.createDocumentFragment();
    var home = document.createElement("ul");
    home.appendChild(navItem("index.html", "Home"));
    fragment.appendChild(home);
    sections.forEach(function (section) {
      if (section.title) {
        var heading = document.createElement("p");
        heading.className = "nav-section";
        heading.textContent = section.title;
        fragment.appendChild(heading);
      }
      var list = document.createElement("ul");
      section.pages.forEach(function (page) { list.appendChild(navItem(page.path, page.title)); });
      fragment.appendChild(list);
    });
    holder.replaceChildren(fragment);
    var current = holder.querySelector('[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  }

  function navItem(path, title) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + path;
    link.textContent = title;
    if (path === here) link.setAttribute("aria-current", "page");
    item.appendChild(link);
    return item;
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

  drawNav();
  setUpMenu();
})();
