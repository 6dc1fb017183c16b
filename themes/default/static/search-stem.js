// playbook default theme: Snowball's English stemmer (Porter2), as the
// rust-stemmers crate that builds the index runs it, so that a query's
// words become the index's terms. search.js loads it when meta.js says the
// book is in English; a browser test checks it against rust-stemmers word
// by word. Words arrive folded (lower case, no accents).
(function () {
  "use strict";

  var VOWELS = "aeiouy";
  function isVowel(c) { return c !== undefined && VOWELS.indexOf(c) >= 0; }
  // Not a vowel, nor w, x or Y (the prelude's consonant y).
  function isShortEnd(c) { return c !== undefined && !isVowel(c) && c !== "w" && c !== "x" && c !== "Y"; }
  function isValidLi(c) { return c !== undefined && "cdeghkmnrt".indexOf(c) >= 0; }

  var EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
    idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
    sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
  };
  var AFTER_STEP_1A = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];
  var R1_PREFIXES = ["gener", "commun", "arsen"];

  // A word as an array of characters (code points), so that lengths and
  // positions count characters as Snowball does.
  function Word(chars) { this.c = chars; }
  Word.prototype.len = function () { return this.c.length; };
  Word.prototype.ends = function (suffix) {
    var n = suffix.length, c = this.c;
    if (n > c.length) return false;
    for (var i = 0; i < n; i++) if (c[c.length - n + i] !== suffix[i]) return false;
    return true;
  };
  // The longest of `suffixes` the word ends with, or null.
  Word.prototype.longest = function (suffixes) {
    var best = null;
    for (var i = 0; i < suffixes.length; i++) {
      if ((best === null || suffixes[i].length > best.length) && this.ends(suffixes[i])) best = suffixes[i];
    }
    return best;
  };
  Word.prototype.replace = function (n, by) {
    this.c.length -= n;
    for (var i = 0; i < by.length; i++) this.c.push(by[i]);
  };
  Word.prototype.at = function (i) { return this.c[i]; };
  Word.prototype.toString = function () { return this.c.join(""); };

  // R1 starts after the first non-vowel that follows a vowel (or after one
  // of the exceptional prefixes); R2 is the same rule applied within R1.
  function regionAfter(c, from) {
    for (var i = from; i < c.length - 1; i++) {
      if (isVowel(c[i]) && !isVowel(c[i + 1])) return i + 2;
    }
    return c.length;
  }
  function markRegions(c) {
    var p1 = -1;
    for (var k = 0; k < R1_PREFIXES.length; k++) {
      var prefix = R1_PREFIXES[k];
      if (c.slice(0, prefix.length).join("") === prefix) p1 = prefix.length;
    }
    if (p1 < 0) p1 = regionAfter(c, 0);
    return { p1: p1, p2: regionAfter(c, p1) };
  }

  // A short syllable ends at `end` (exclusive): non-vowel, vowel,
  // non-vowel-other-than-w-x-Y; or, at the start of the word, vowel then
  // non-vowel.
  function shortSyllableBefore(c, end) {
    if (end >= 3 && isShortEnd(c[end - 1]) && isVowel(c[end - 2]) && !isVowel(c[end - 3])) return true;
    return end === 2 && !isVowel(c[1]) && isVowel(c[0]);
  }

  function hasVowel(c, from, to) {
    for (var i = from; i < to; i++) if (isVowel(c[i])) return true;
    return false;
  }

  function step1a(w) {
    var apostrophe = w.longest(["'", "'s", "'s'"]);
    if (apostrophe) w.replace(apostrophe.length, "");
    var suffix = w.longest(["sses", "ied", "ies", "s", "us", "ss"]);
    if (suffix === "sses") w.replace(4, "ss");
    else if (suffix === "ied" || suffix === "ies") w.replace(3, w.len() - 3 >= 2 ? "i" : "ie");
    else if (suffix === "s") {
      // Deleted if a vowel comes before the letter before it.
      if (w.len() >= 2 && hasVowel(w.c, 0, w.len() - 2)) w.replace(1, "");
    }
  }

  function step1b(w, r) {
    var suffix = w.longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (!suffix) return;
    var start = w.len() - suffix.length;
    if (suffix === "eed" || suffix === "eedly") {
      if (start >= r.p1) w.replace(suffix.length, "ee");
      return;
    }
    if (!hasVowel(w.c, 0, start)) return;
    w.replace(suffix.length, "");
    var end = w.longest(["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
    if (end === "at" || end === "bl" || end === "iz") w.replace(0, "e");
    else if (end) w.replace(1, "");
    else if (w.len() === r.p1 && shortSyllableBefore(w.c, w.len())) w.replace(0, "e");
  }

  function step1c(w) {
    var n = w.len();
    var last = w.at(n - 1);
    if ((last === "y" || last === "Y") && n > 2 && !isVowel(w.at(n - 2))) w.replace(1, "i");
  }

  var STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent",
    izer: "ize", ization: "ize", ational: "ate", ation: "ate", ator: "ate",
    alism: "al", aliti: "al", alli: "al", fulness: "ful", ousli: "ous", ousness: "ous",
    iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", fulli: "ful", lessli: "less",
    ogi: null, li: null,
  };
  var STEP2_KEYS = Object.keys(STEP2);

  function step2(w, r) {
    var suffix = w.longest(STEP2_KEYS);
    if (!suffix || w.len() - suffix.length < r.p1) return;
    var before = w.at(w.len() - suffix.length - 1);
    if (suffix === "ogi") {
      if (before === "l") w.replace(3, "og");
    } else if (suffix === "li") {
      if (isValidLi(before)) w.replace(2, "");
    } else {
      w.replace(suffix.length, STEP2[suffix]);
    }
  }

  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
  var STEP3_KEYS = Object.keys(STEP3);

  function step3(w, r) {
    var suffix = w.longest(STEP3_KEYS);
    if (!suffix) return;
    var start = w.len() - suffix.length;
    if (start < r.p1) return;
    if (suffix === "ative" && start < r.p2) return;
    w.replace(suffix.length, STEP3[suffix]);
  }

  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function step4(w, r) {
    var suffix = w.longest(STEP4);
    if (!suffix) return;
    var start = w.len() - suffix.length;
    if (start < r.p2) return;
    if (suffix === "ion") {
      var before = w.at(start - 1);
      if (before === "s" || before === "t") w.replace(3, "");
    } else {
      w.replace(suffix.length, "");
    }
  }

  function step5(w, r) {
    var n = w.len();
    var last = w.at(n - 1);
    if (last === "e") {
      var start = n - 1;
      if (start >= r.p2 || (start >= r.p1 && !shortSyllableBefore(w.c, start))) w.replace(1, "");
    } else if (last === "l") {
      if (n - 1 >= r.p2 && w.at(n - 2) === "l") w.replace(1, "");
    }
  }

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    var chars = Array.from(word);
    if (chars.length < 3) return word;
    // Prelude: an initial apostrophe goes; a y that starts the word or
    // follows a vowel is a consonant, Y.
    if (chars[0] === "'") chars.shift();
    var yFound = false;
    if (chars[0] === "y") { chars[0] = "Y"; yFound = true; }
    for (var i = 1; i < chars.length; i++) {
      if (chars[i] === "y" && isVowel(chars[i - 1])) { chars[i] = "Y"; yFound = true; }
    }
    var regions = markRegions(chars);
    var w = new Word(chars);
    step1a(w);
    if (AFTER_STEP_1A.indexOf(w.toString()) < 0) {
      step1b(w, regions);
      step1c(w);
      step2(w, regions);
      step3(w, regions);
      step4(w, regions);
      step5(w, regions);
    }
    var out = w.toString();
    return yFound ? out.replace(/Y/g, "y") : out;
  }

  window.playbookStem = stem;
})();
