// The decision walk: one question at a time, the path so far as a
// breadcrumb, Back and Start again, and the state in the URL
// (#walk=0.2.1: the index of each answer taken), so a shared link reopens the
// same step. The URL is only ever read as numbers; everything shown is set
// as text. Without this script the page still works: every step is a
// section and every answer a plain link.
(function () {
  "use strict";
  var walk = document.getElementById("pb-walk");
  var dataElement = document.getElementById("pb-walk-data");
  if (!walk || !dataElement) return;
  var data = JSON.parse(dataElement.textContent);
  var pathList = document.getElementById("pb-walk-path");
  var pathNav = document.getElementById("pb-walk-path-nav");
  var outcomeBox = document.getElementById("pb-walk-outcome");
  var controls = document.getElementById("pb-walk-controls");
  var back = document.getElementById("pb-walk-back");
  var restart = document.getElementById("pb-walk-restart");
  var print = document.getElementById("pb-walk-print");
  var progress = document.getElementById("pb-walk-progress");
  var longest = {};
  var answers = [];

  function stepOf(id) { return document.getElementById("step-" + id); }

  /** The answers in the URL, as numbers; anything else is ignored. */
  function readUrl() {
    var hash = window.location.hash;
    if (hash.indexOf("#walk=") === 0) {
      return hash.slice(6).split(".").filter(function (p) { return /^\d{1,4}$/.test(p); }).map(Number);
    }
    if (hash.indexOf("#step-") === 0) return pathTo(decodeURIComponent(hash.slice(6)));
    return [];
  }

  /** The shortest list of answers from the start to question `id`. */
  function pathTo(id) {
    var queue = [[data.start, []]];
    var seen = {};
    while (queue.length) {
      var item = queue.shift();
      if (item[0] === id) return item[1];
      if (seen[item[0]]) continue;
      seen[item[0]] = true;
      var q = data.questions[item[0]];
      if (!q) continue;
      q.answers.forEach(function (a, i) { if (a.next) queue.push([a.next, item[1].concat([i])]); });
    }
    return [];
  }

  /** How many questions at most remain from question `id`, itself included. */
  function remaining(id) {
    if (longest[id] !== undefined) return longest[id];
    longest[id] = 1; // the build refuses loops; this only guards the recursion
    var q = data.questions[id];
    var most = 0;
    if (q) q.answers.forEach(function (a) { if (a.next) most = Math.max(most, remaining(a.next)); });
    longest[id] = 1 + most;
    return longest[id];
  }

  /** Follows the answers from the start: the steps taken, and where they end. */
  function follow(list) {
    var id = data.start;
    var taken = [];
    for (var i = 0; i < list.length; i++) {
      var q = data.questions[id];
      var a = q && q.answers[list[i]];
      if (!a) break;
      taken.push({ id: id, ask: q.ask, answer: a.label });
      if (a.outcome) return { taken: taken, outcome: a.outcome };
      id = a.next;
    }
    return { taken: taken, current: id };
  }

  function render(moveFocus) {
    var state = follow(answers);
    answers = answers.slice(0, state.taken.length);
    walk.querySelectorAll(".walk-step").forEach(function (s) { s.hidden = true; });
    pathList.replaceChildren();
    state.taken.forEach(function (step, i) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "walk-crumb";
      button.textContent = step.ask;
      button.title = "Go back to this question";
      button.addEventListener("click", function () { go(answers.slice(0, i)); });
      var answer = document.createElement("span");
      answer.className = "walk-crumb-answer";
      answer.textContent = step.answer;
      item.append(button, " ", answer);
      pathList.appendChild(item);
    });
    pathNav.hidden = state.taken.length === 0;
    controls.hidden = false;
    back.disabled = state.taken.length === 0;
    restart.disabled = state.taken.length === 0;
    print.disabled = !state.outcome;
    progress.hidden = !!state.outcome;
    if (!state.outcome) {
      var step = state.taken.length + 1;
      progress.textContent = "Step " + step + " of at most " + (state.taken.length + remaining(state.current));
    }
    if (state.outcome) {
      var title = document.createElement("h3");
      title.textContent = state.outcome.title;
      var summary = document.createElement("p");
      summary.textContent = state.outcome.summary || "";
      var link = document.createElement("a");
      link.className = "walk-outcome-link";
      link.href = state.outcome.url;
      link.textContent = "Read: " + state.outcome.title;
      var label = document.createElement("p");
      label.className = "walk-outcome-label";
      label.textContent = "Your answers point to";
      outcomeBox.replaceChildren(label, title, summary, link);
      outcomeBox.hidden = false;
      if (moveFocus) outcomeBox.focus();
      return outcomeBox;
    }
    outcomeBox.hidden = true;
    var shown = stepOf(state.current);
    if (!shown) return null;
    shown.hidden = false;
    if (moveFocus) shown.querySelector("h3").focus();
    return shown;
  }

  function go(list) {
    answers = list;
    history.pushState(null, "", "#walk=" + answers.join("."));
    render(true);
  }

  walk.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".walk-answer") : null;
    if (!link) return;
    event.preventDefault();
    go(answers.concat([Number(link.getAttribute("data-answer"))]));
  });
  // Arrow keys move between the answers of the step, as in a list of
  // options; they never scroll or leave the page.
  walk.addEventListener("keydown", function (event) {
    var link = event.target.closest ? event.target.closest(".walk-answer") : null;
    var keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    if (!link || !keys[event.key] || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    var all = Array.prototype.slice.call(link.closest(".walk-answers").querySelectorAll(".walk-answer"));
    var next = all[(all.indexOf(link) + keys[event.key] + all.length) % all.length];
    next.focus();
  });
  back.addEventListener("click", function () { go(answers.slice(0, -1)); });
  restart.addEventListener("click", function () { go([]); });
  print.addEventListener("click", function () { window.print(); });
  window.addEventListener("popstate", function () { answers = readUrl(); render(false); });

  walk.classList.add("walk-live");
  answers = readUrl();
  var opened = render(false);
  // A shared link opens on its step or outcome, in view.
  if (opened && answers.length > 0) opened.scrollIntoView({ block: "center" });
})();
