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
  var copy = document.getElementById("pb-walk-copy");
  var copied = document.getElementById("pb-walk-copied");
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
    controls.hidden = false;
    back.disabled = state.taken.length === 0;
    restart.disabled = state.taken.length === 0;
    copy.disabled = state.taken.length === 0;
    print.disabled = !state.outcome;
    copied.textContent = "";
    progress.hidden = !!state.outcome;
    if (!state.outcome) {
      var step = state.taken.length + 1;
      progress.textContent = "Step " + step + " of at most " + (state.taken.length + remaining(state.current));
    }
    walk.classList.toggle("walk-done", !!state.outcome);
    pathNav.hidden = state.taken.length === 0 || !!state.outcome;
    if (state.outcome) {
      outcomeBox.replaceChildren.apply(outcomeBox, outcomeCard(state));
      outcomeBox.hidden = false;
      var firstLevel = state.outcome.levels && state.outcome.levels[0];
      outcomeBox.className = "walk-outcome" + (firstLevel ? " lv-" + firstLevel.id : "");
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

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The outcome card: the diagnosis, the path to it, and its first steps. */
  function outcomeCard(state) {
    var outcome = state.outcome;
    var parts = [element("p", "walk-outcome-label", "Your diagnosis"), element("h3", "", outcome.title)];
    if (outcome.levels && outcome.levels.length) {
      var chips = element("p", "outcome-levels");
      outcome.levels.forEach(function (level) {
        var chip = element("a", "chip chip-level lv-" + level.id);
        chip.href = level.url;
        var glyph = element("span", "glyph", level.glyph || "");
        glyph.setAttribute("aria-hidden", "true");
        chip.append(glyph, level.name);
        chips.appendChild(chip);
      });
      parts.push(chips);
    }
    if (outcome.summary) parts.push(element("p", "", outcome.summary));
    parts.push(element("h4", "", "How you got here"));
    var path = element("ol", "outcome-path");
    state.taken.forEach(function (step) {
      var item = element("li", "", step.ask + " ");
      item.appendChild(element("b", "", step.answer));
      path.appendChild(item);
    });
    parts.push(path);
    if (outcome.first_steps && outcome.first_steps.length) {
      parts.push(element("h4", "", "First steps"));
      var steps = element("ol", "outcome-steps");
      outcome.first_steps.forEach(function (text) { steps.appendChild(element("li", "", text)); });
      parts.push(steps);
    }
    var link = element("a", "walk-outcome-link", "Read the whole page: " + outcome.title);
    link.href = outcome.url;
    parts.push(link);
    return parts;
  }

  function go(list) {
    answers = list;
    history.pushState({ walk: answers }, "", "#walk=" + answers.join("."));
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
  // The link to this step or diagnosis, for a colleague.
  copy.addEventListener("click", function () {
    var url = window.location.href;
    function done(ok) { copied.textContent = ok ? "Link copied" : "Copy the address bar to share this"; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  });
  // Back and forward move through the walk's own history entries; a link
  // to elsewhere on the page ("On this page", Back to top) keeps the walk.
  window.addEventListener("popstate", function (event) {
    var hash = window.location.hash;
    if (event.state && Array.isArray(event.state.walk)) answers = event.state.walk.slice();
    else if (hash.indexOf("#walk=") === 0 || hash.indexOf("#step-") === 0) answers = readUrl();
    else return;
    render(false);
  });

  walk.classList.add("walk-live");
  answers = readUrl();
  history.replaceState({ walk: answers }, "", window.location.href);
  var opened = render(false);
  // A shared link opens on its step or outcome, in view.
  if (opened && answers.length > 0) opened.scrollIntoView({ block: "center" });
})();
