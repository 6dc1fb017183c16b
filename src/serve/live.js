// playbook serve: live reload and the error overlay. Reloads the page when a
// rebuild changed it, keeping the scroll position; shows build errors over
// the last good page until they are fixed. Errors are set as text only.
(function () {
  "use strict";
  var key = "playbook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved) || 0); };
    restore();
    window.addEventListener("load", restore);
  }

  var here = location.pathname.replace(/^\//, "");
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var version = null;
  var overlay = null;

  function affectsThisPage(changed) {
    if (!Array.isArray(changed)) return true;
    return changed.indexOf(here) >= 0;
  }

  function showErrors(errors) {
    if (!errors.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "playbook-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:99999;max-height:60vh;overflow:auto;" +
        "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:14px 18px;" +
        "border-top:4px solid #ff5c5c;box-shadow:0 -6px 24px rgba(0,0,0,.35);white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    var title = document.createElement("strong");
    title.textContent = "The last change broke the build; this is the last good version.";
    var list = document.createElement("div");
    errors.forEach(function (e) {
      var item = document.createElement("div");
      item.className = "playbook-error";
      item.style.marginTop = "10px";
      var where = e.file ? e.file + (e.line ? ":" + e.line + ":" + e.column : "") : "";
      item.textContent = "error[" + e.code + "]: " + e.message + (where ? "\n  --> " + where : "") + (e.help ? "\n  = help: " + e.help : "");
      list.appendChild(item);
    });
    overlay.replaceChildren(title, list);
  }

  function connect() {
    var events = new EventSource("/__playbook/events");
    events.addEventListener("state", function (message) {
      var state = JSON.parse(message.data);
      if (version !== null && state.version !== version && !state.errors.length && affectsThisPage(state.changed)) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
        return;
      }
      version = state.version;
      showErrors(state.errors);
    });
    events.onerror = function () {
      events.close();
      setTimeout(connect, 1000);
    };
  }
  connect();
})();
