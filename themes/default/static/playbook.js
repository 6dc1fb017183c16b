// playbook default theme: draws the shared navigation (nav.js) into the
// sidebar, highlights the current page, filters it by context, opens it as a
// drawer on narrow screens, follows previous/next with the arrow keys,
// switches light and dark, marks the section being read in "On this page",
// and floats "Back to top" on long pages.
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
      if (section.title && section.level) {
        // A level's group heading leads to the level's page.
        var link = document.createElement("a");
        link.className = "nav-section lv-" + section.level.id;
        link.href = root + section.level.path;
        if (section.level.path === here) link.setAttribute("aria-current", "page");
        var glyph = document.createElement("span");
        glyph.className = "glyph";
        glyph.setAttribute("aria-hidden", "true");
        glyph.textContent = section.level.glyph;
        link.append(glyph, section.title);
        group.appendChild(link);
      } else if (section.title) {
        var heading = document.createElement("p");
        heading.className = "nav-section";
        heading.textContent = section.title;
        group.appendChild(heading);
      }
      // Chapters nest under the one above them (SUMMARY.md's lists).
      var lists = [document.createElement("ul")];
      section.pages.forEach(function (page) {
        var depth = Math.min(page.depth || 0, lists.length);
        while (lists.length > depth + 1) lists.pop();
        if (depth === lists.length) {
          var parent = lists[lists.length - 1].lastElementChild;
          if (!parent) parent = lists[lists.length - 1].appendChild(document.createElement("li"));
          var nested = document.createElement("ul");
          parent.appendChild(nested);
          lists.push(nested);
        }
        lists[depth].appendChild(navItem(page.path, page.title, page.contexts));
      });
      group.appendChild(lists[0]);
      fragment.appendChild(group);
    });
    holder.replaceChildren(fragment);
    drawFilter(nav.contexts || []);
    // The generated pages' links below the navigation (written once, the
    // same on every page) learn which one is this page.
    document.querySelectorAll(".nav-browse a").forEach(function (link) {
      if (link.getAttribute("href") === root + here) link.setAttribute("aria-current", "page");
    });
    revealCurrent();
  }

  // Scrolls the sidebar (never the page) so the current page's link shows,
  // keeping the sidebar's top in view when the link is already there.
  function revealCurrent() {
    var sidebar = document.getElementById("pb-sidebar");
    var current = sidebar && sidebar.querySelector('[aria-current="page"]');
    if (!current) return;
    sidebar.scrollTop = 0;
    var bottom = current.offsetTop + current.offsetHeight;
    if (bottom > sidebar.clientHeight) sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 2;
  }

  function navItem(path, title, contexts) {
    var item = document.createElement("li");
    if (path === null || path === undefined) {
      // A draft chapter: listed, not written yet.
      var draft = document.createElement("span");
      draft.className = "nav-draft";
      draft.textContent = title;
      item.appendChild(draft);
      return item;
    }
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
      if (open) revealCurrent();
      if (focusTarget) focusTarget.focus({ preventScroll: true });
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

  // Light or dark: the system's choice until the reader picks the other
  // one; a pick that matches the system is forgotten, so the page follows
  // the system again.
  function setUpThemeToggle() {
    var button = document.getElementById("pb-theme");
    var label = document.getElementById("pb-theme-label");
    if (!button || !label) return;
    var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function current() {
      return doc.getAttribute("data-theme") || (system && system.matches ? "dark" : "light");
    }
    function show() {
      var scheme = current();
      button.setAttribute("data-scheme", scheme);
      button.setAttribute("aria-pressed", String(scheme === "dark"));
      label.textContent = "Dark mode";
      button.title = scheme === "dark" ? "Switch to light mode" : "Switch to dark mode";
    }
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      var systemScheme = system && system.matches ? "dark" : "light";
      try {
        if (next === systemScheme) localStorage.removeItem("playbook-theme");
        else localStorage.setItem("playbook-theme", next);
      } catch (e) { /* storage may be off: the choice lasts for this page */ }
      if (next === systemScheme) doc.removeAttribute("data-theme");
      else doc.setAttribute("data-theme", next);
      show();
    });
    if (system && system.addEventListener) system.addEventListener("change", show);
    button.hidden = false;
    show();
  }

  // "On this page" marks the section being read.
  function setUpTocSpy() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
    if (!links.length || !window.IntersectionObserver) return;
    var targets = links.map(function (a) {
      try { return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); } catch (e) { return null; }
    });
    function mark() {
      var line = 120;
      var active = -1;
      targets.forEach(function (t, i) { if (t && t.getBoundingClientRect().top <= line) active = i; });
      if (active < 0) active = 0;
      links.forEach(function (a, i) {
        if (i === active) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; mark(); });
    }, { passive: true });
    mark();
  }

  // "Back to top" floats once the reader is more than a screen down.
  function setUpBackToTop() {
    var link = document.querySelector(".back-to-top");
    if (!link) return;
    var floating = link.cloneNode(true);
    floating.classList.add("floating");
    floating.hidden = true;
    floating.setAttribute("aria-hidden", "true");
    floating.tabIndex = -1;
    floating.textContent = "↑ Top";
    document.body.appendChild(floating);
    function update() { floating.hidden = window.scrollY < window.innerHeight * 1.5; }
    window.addEventListener("scroll", update, { passive: true });
    update();
  }

  document.querySelectorAll(".print-now").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  drawNav();
  setUpMenu();
  setUpArrows();
  setUpThemeToggle();
  setUpTocSpy();
  setUpBackToTop();
})();
