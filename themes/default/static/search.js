// playbook default theme: full-text search, from file:// and over HTTP.
//
// The index is written by src/search/files.rs as small scripts that call
// playbookSearch.* when loaded; this file loads them with <script> (no
// fetch, no modules, no WebAssembly, which file:// forbids), only those a
// query needs:
//   search/meta.js          playbookSearch.meta({format, stemmer, docs, chunk, k1,
//                             levels:[{id,name,glyph,v}], contexts:[{id,name,v}],
//                             shards:[[first term, v, file]], chunks:[v], words:[[file, v]]})
//   search/shard/<t>.js     playbookSearch.shard(first, [[term, df, base64 postings]])
//   search/docs/<k>.js      playbookSearch.docs(k, [[url, title, [level], [context], text v]])
//   search/text/<page>.js   playbookSearch.text(url, summary, [[anchor, heading, text]])
//   search/facet/<f>.js     playbookSearch.facet(f, base64 bitmap of documents)
//   search/words/<c>.js     playbookSearch.words(c, [[word, df]])
// `v` is each file's version, put in its URL so that no cached old copy is
// used. Postings are a format byte (0: LEB128 gaps, 1: a bitmap), the
// documents, then one impact byte each: BM25F's saturated term frequency
// (title, headings and body weighted 4, 2, 1), scaled to 1..255.
//
// A query is made into terms as the index made its words: split by
// Unicode's word rules, case and accents folded, stemmed (search-stem.js).
// Ranking is BM25F (idf from each term's document frequency), plus a bonus
// for query words that stand close together in one section of a page,
// worked out for the best results from their text. Everything read from
// the index is set as text, never as HTML.
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = doc.getAttribute("data-root") || "";
  var api = (window.playbookSearch = window.playbookSearch || {});

  var RESULTS_SHOWN = 8; // in the box under the search field
  var PAGE_SIZE = 20; // on the results page, per "Show more"
  var REFINED = 10; // results whose text is read for nearness and passages
  var MAX_EXPANSIONS = 40; // terms a word may stand for (its stem's longer forms)
  var MIN_PREFIX = 2; // letters typed before a word stands for every word it begins
  var PREFIX_SHARDS = 2; // shards read for the words a typed prefix begins
  var TYPING_PAUSE = 150; // ms without a keystroke before a search that needs a file runs
  var MAX_WORD_CHARS = 40;

  // ---------------------------------------------------------------- loading

  // Maps keyed by what the index holds (terms, urls, names) have no
  // prototype: "constructor" or "__proto__" is a word like any other.
  function dict() { return Object.create(null); }
  var store = { meta: null, shards: dict(), chunks: dict(), texts: dict(), facets: dict(), words: dict() };
  var pending = dict(); // what each loading script will register, by kind and name

  api.meta = function (meta) { store.meta = meta; };
  api.shard = function (first, rows) {
    var terms = [], byTerm = dict();
    rows.forEach(function (row) {
      var entry = { term: row[0], df: row[1], data: row[2], postings: null };
      terms.push(entry.term);
      byTerm[entry.term] = entry;
    });
    store.shards[first] = { v: pending["shard:" + first], terms: terms, byTerm: byTerm };
  };
  api.docs = function (chunk, rows) { store.chunks[chunk] = { v: pending["docs:" + chunk], rows: rows }; };
  api.text = function (url, summary, sections) {
    store.texts[url] = { v: pending["text:" + url], summary: summary, sections: sections };
  };
  api.facet = function (name, bitmap) { store.facets[name] = { v: pending["facet:" + name], bits: decode64(bitmap) }; };
  api.words = function (name, rows) { store.words[name] = { v: pending["words:" + name], rows: rows }; };

  var scripts = dict(); // the loads under way, by path
  // Loads `path` (from the site's root) with a <script>; resolves once it ran.
  // Only loads under way are shared: a path asked for again later runs
  // again, since a version can come back (an edit undone under `serve`)
  // after another one replaced what it registered.
  function load(path) {
    if (scripts[path]) return scripts[path];
    scripts[path] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root + path;
      script.async = true;
      // Once run, a script's element has done its work.
      script.onload = function () { script.remove(); delete scripts[path]; resolve(); };
      script.onerror = function () {
        script.remove();
        delete scripts[path];
        reject(new Error("could not load " + path));
      };
      document.head.appendChild(script);
    });
    return scripts[path];
  }
  function loadVersioned(kind, name, path, version, cached) {
    if (cached && cached.v === version) return Promise.resolve();
    pending[kind + ":" + name] = version;
    return load(path + "?v=" + version);
  }

  var metaLoad = null;
  // meta.js is loaded again for every new search, so that a book that
  // changed under an open page (serve, a new deploy) is searched as it is.
  function loadMeta(fresh) {
    if (metaLoad && !fresh) return metaLoad;
    var stamp = Date.now().toString(36);
    var path = "search/meta.js?t=" + stamp;
    metaLoad = load(path).then(function () {
      var meta = store.meta;
      if (!meta || meta.format !== 2) throw new Error("this search index is of another version of playbook");
      if (meta.stemmer === "english" && !window.playbookStem) return load("assets/search-stem.js");
    });
    metaLoad.catch(function () { metaLoad = null; });
    return metaLoad;
  }

  function fileName(key) {
    var out = "";
    for (var ch of key) {
      if (/^[a-z0-9]$/.test(ch)) out += ch;
      else out += "_" + ch.codePointAt(0).toString(16).padStart(6, "0");
    }
    return out;
  }

  function decode64(text) {
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // ------------------------------------------------------------------ words

  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(doc.lang || "en", { granularity: "word" }) : null;
  var WORD_CHAR = /[A-Za-z0-9_]/;
  var IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}]/u;

  // The words of `text` as written, each with where it starts, split by
  // UAX #29 as the index split them: ASCII by the same rules as
  // src/search/words.rs, the rest by the browser's segmenter, with
  // ideographs one word each as there.
  function segments(text) {
    var out = [];
    var chunks = /[^\t\n\f\r ]+/g, m;
    while ((m = chunks.exec(text))) {
      var chunk = m[0], base = m.index;
      if (/^[\x00-\x7f]*$/.test(chunk)) asciiWords(chunk, base, out);
      else if (segmenter) {
        for (var s of segmenter.segment(chunk)) {
          if (!s.isWordLike) continue;
          if (!IDEOGRAPH.test(s.segment)) { out.push({ text: s.segment, start: base + s.index }); continue; }
          // unicode-segmentation ends a word at every ideograph.
          var at = base + s.index;
          s.segment.split(/([\p{Script=Han}\p{Script=Hiragana}])/u).forEach(function (part) {
            if (part) out.push({ text: part, start: at });
            at += part.length;
          });
        }
      } else out.push({ text: chunk, start: base });
    }
    return out;
  }
  function isAlpha(c) { return c !== undefined && /[A-Za-z]/.test(c); }
  function isDigit(c) { return c !== undefined && /[0-9]/.test(c); }
  function joins(before, mid, after) {
    return (isAlpha(before) && isAlpha(after) && (mid === ":" || mid === "." || mid === "'")) ||
      (isDigit(before) && isDigit(after) && (mid === "," || mid === ";" || mid === "." || mid === "'"));
  }
  function asciiWords(chunk, base, out) {
    var i = 0;
    while (i < chunk.length) {
      if (!WORD_CHAR.test(chunk[i])) { i++; continue; }
      var start = i++;
      for (;;) {
        if (i < chunk.length && WORD_CHAR.test(chunk[i])) i++;
        else if (i + 1 < chunk.length && joins(chunk[i - 1], chunk[i], chunk[i + 1])) i += 2;
        else break;
      }
      var word = chunk.slice(start, i);
      if (/[A-Za-z0-9]/.test(word)) out.push({ text: word, start: base + start });
    }
  }

  // Case and accent folding, as fold() in words.rs: typographic
  // apostrophes become ', then NFKD without combining marks, lower case,
  // ß as ss.
  function folded(segment) {
    var word = segment.replace(/[\u2018\u2019\u02bc]/g, "'").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/ß/g, "ss");
    return word.replace(/^'+|'+$/g, "");
  }
  function tooLong(word) { return Array.from(word).length > MAX_WORD_CHARS; }
  // The word as the index has it, or null if the index has no such word.
  function fold(segment) {
    var word = folded(segment);
    return word && !tooLong(word) ? word : null;
  }

  var stems = new Map();
  function termOf(word) {
    if (!store.meta || store.meta.stemmer !== "english" || !window.playbookStem) return word;
    var known = stems.get(word);
    if (known === undefined) {
      known = window.playbookStem(word);
      stems.set(word, known);
    }
    return known;
  }

  // The query's words: each with its folded form and term; the last one is
  // a prefix while the reader is still typing it. `words.tooLong` says a
  // word was too long to be in the index. A last word of one letter stands
  // for nothing yet, unless the query is `complete` (the results page).
  function queryWords(query, complete) {
    var words = [];
    var seen = dict();
    segments(query).forEach(function (segment) {
      var word = folded(segment.text);
      if (word && tooLong(word)) { words.tooLong = true; return; }
      if (!word || seen[word]) return;
      seen[word] = true;
      words.push({ word: word, term: termOf(word), prefix: false });
    });
    var last = words[words.length - 1];
    if (last && !/\s$/.test(query)) {
      // The word being typed stands for every word it begins; a first
      // letter alone stands for nothing yet.
      // An ideograph is a word of its own, never the start of a longer one.
      if (Array.from(last.word).length >= MIN_PREFIX) last.prefix = true;
      else if (!complete && !IDEOGRAPH.test(last.word)) words.pop();
    }
    return words;
  }

  // ---------------------------------------------------------------- the index

  // The shards that may hold terms starting with `prefix`: the one a term
  // equal to it would be in, and those after it whose first term starts
  // with it (at most `limit` in all).
  function shardsFor(prefix, limit) {
    var shards = store.meta.shards;
    var lo = 0, hi = shards.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid][0] <= prefix) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    var out = [];
    if (at >= 0) out.push(shards[at]);
    for (var i = at + 1; i < shards.length && shards[i][0].startsWith(prefix) && out.length < limit; i++) out.push(shards[i]);
    return out;
  }
  function loadShards(list) {
    return Promise.all(list.map(function (shard) {
      var first = shard[0];
      return loadVersioned("shard", first, "search/shard/" + shard[2] + ".js", shard[1], store.shards[first]);
    }));
  }

  function postingsOf(entry) {
    if (entry.postings) return entry.postings;
    var bytes = decode64(entry.data), df = entry.df;
    var docs = new Uint32Array(df);
    var n = 0;
    if (bytes[0] === 1) {
      var end = bytes.length - df;
      for (var i = 1; i < end && n < df; i++) {
        var b = bytes[i];
        for (var bit = 0; b && bit < 8; bit++, b >>= 1) if (b & 1) docs[n++] = (i - 1) * 8 + bit;
      }
    } else {
      var at = 1, last = 0;
      while (n < df) {
        var gap = 0, shift = 0, byte;
        do { byte = bytes[at++]; gap += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
        last += gap;
        docs[n++] = last;
      }
    }
    entry.postings = { docs: docs, impacts: bytes.subarray(bytes.length - df) };
    return entry.postings;
  }

  // The terms a query word stands for, each with how much it counts: its
  // own term fully; terms that extend the term by a few letters (its
  // stem's longer forms: "prioritize" is "priorit", "priorities" is
  // "prioriti"), or any terms that start with the word being typed, less.
  function candidates(word) {
    var out = [];
    var starts = word.prefix ? [word.term, word.word] : [word.term];
    var seen = dict();
    starts.forEach(function (start) {
      shardsFor(start, word.prefix ? PREFIX_SHARDS : 2).forEach(function (shard) {
        var loaded = store.shards[shard[0]];
        if (!loaded) return;
        loaded.terms.forEach(function (term) {
          if (seen[term] || !term.startsWith(start)) return;
          var extra = Array.from(term).length - Array.from(start).length;
          if (extra > 3 && !word.prefix) return;
          seen[term] = true;
          var weight = term === word.term ? 1 : Math.max(0.35, 0.9 - 0.12 * extra);
          out.push({ entry: loaded.byTerm[term], weight: weight });
        });
      });
    });
    out.sort(function (a, b) { return b.weight - a.weight || b.entry.df - a.entry.df; });
    return out.slice(0, MAX_EXPANSIONS);
  }

  function idf(df) {
    var n = store.meta.docs;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // ---------------------------------------------------------------- queries

  // The shards `words` need: a word's own term, and a few letters longer
  // (its stem's longer forms), are in the term's shard or the next; a
  // prefix's words in the first shards from it.
  function shardsOf(words) {
    var shards = [];
    words.forEach(function (w) {
      shards = shards.concat(shardsFor(w.term, w.prefix ? PREFIX_SHARDS : 2));
      if (w.prefix && w.word !== w.term) shards = shards.concat(shardsFor(w.word, PREFIX_SHARDS));
    });
    return shards;
  }
  // Whether `query` can run on what is loaded, without waiting for a file.
  function isLoaded(query) {
    if (!store.meta) return false;
    return shardsOf(queryWords(query)).every(function (shard) {
      var loaded = store.shards[shard[0]];
      return loaded && loaded.v === shard[1];
    });
  }

  // Runs `query` with `filters` ({levels: [i], contexts: [i]}); resolves to
  // {words, count, partial, results: [{doc, score, matched}]}: the best
  // `limit` results, best first, of `count`. When no page has every word,
  // pages with some of them (`partial`).
  function run(query, filters, limit, complete) {
    var words = queryWords(query, complete);
    if (!words.length) return Promise.resolve({ words: words, count: 0, results: [], partial: false });
    var facets = facetFiles(filters);
    return Promise.all([loadShards(shardsOf(words)), loadFacets(facets)]).then(function () {
      var n = store.meta.docs;
      var found = words.map(candidates);
      // A word in more than half the pages ("the", "team") narrows
      // nothing: it ranks, but a page need not have it (unless every word
      // is such a word), and passages do not mark it.
      words.forEach(function (word, k) {
        word.common = found[k].some(function (c) { return c.entry.df * 2 > n; });
      });
      var narrowing = words.filter(function (w) { return !w.common; });
      if (!narrowing.length) words.forEach(function (w) { w.common = false; });
      var need = narrowing.length || words.length;
      // Scores in arrays over every document: a common word is in most.
      var score = new Float64Array(n), matched = new Uint8Array(n), best = new Float64Array(n);
      words.forEach(function (word, k) {
        best.fill(0);
        found[k].forEach(function (c) {
          var p = postingsOf(c.entry), weight = c.weight * idf(c.entry.df) / 255;
          for (var i = 0; i < p.docs.length; i++) {
            var d = p.docs[i], s = weight * p.impacts[i];
            if (s > best[d]) best[d] = s;
          }
        });
        for (var d = 0; d < n; d++) {
          if (best[d] > 0) {
            score[d] += best[d];
            if (!word.common) matched[d] += 1;
          }
        }
      });
      var allowed = allowedBy(facets) || function () { return true; };
      var count = 0, d;
      for (d = 0; d < n; d++) if (matched[d] === need && allowed(d)) count++;
      var partial = count === 0 && need > 1;
      var top = new TopResults(limit);
      for (d = 0; d < n; d++) {
        if ((partial ? matched[d] > 0 : matched[d] === need) && allowed(d)) {
          if (partial) count++;
          top.offer({ doc: d, score: score[d], matched: matched[d] });
        }
      }
      // A word too long to be indexed is in no page: the pages found have
      // only some of the words.
      return { words: words, count: count, results: top.sorted(), partial: partial || !!words.tooLong };
    });
  }
  function byRank(a, b) { return b.matched - a.matched || b.score - a.score || a.doc - b.doc; }

  // The best `size` of the results offered, kept in a heap whose root is
  // the worst kept, so that 100,000 results cost no sort of them all.
  function TopResults(size) { this.size = size; this.heap = []; }
  TopResults.prototype.offer = function (r) {
    var heap = this.heap;
    if (heap.length < this.size) {
      heap.push(r);
      for (var i = heap.length - 1; i > 0;) {
        var up = (i - 1) >> 1;
        if (byRank(heap[i], heap[up]) <= 0) break;
        var t = heap[i]; heap[i] = heap[up]; heap[up] = t; i = up;
      }
    } else if (heap.length && byRank(r, heap[0]) < 0) {
      heap[0] = r;
      for (var j = 0; ;) {
        var l = 2 * j + 1, rr = l + 1, worst = j;
        if (l < heap.length && byRank(heap[l], heap[worst]) > 0) worst = l;
        if (rr < heap.length && byRank(heap[rr], heap[worst]) > 0) worst = rr;
        if (worst === j) break;
        var u = heap[j]; heap[j] = heap[worst]; heap[worst] = u; j = worst;
      }
    }
  };
  TopResults.prototype.sorted = function () { return this.heap.slice().sort(byRank); };

  function facetFiles(filters) {
    var meta = store.meta, out = [];
    (filters.levels || []).forEach(function (i) { out.push({ kind: "levels", name: "level-" + meta.levels[i].id, v: meta.levels[i].v }); });
    (filters.contexts || []).forEach(function (i) { out.push({ kind: "contexts", name: "context-" + meta.contexts[i].id, v: meta.contexts[i].v }); });
    return out;
  }
  function loadFacets(list) {
    return Promise.all(list.map(function (f) {
      return loadVersioned("facet", f.name, "search/facet/" + f.name + ".js", f.v, store.facets[f.name]);
    }));
  }
  // Levels chosen widen each other, and so do contexts; a level and a
  // context narrow: a page at either level, in either context.
  function allowedBy(list) {
    if (!list.length) return null;
    var kinds = dict();
    list.forEach(function (f) { (kinds[f.kind] = kinds[f.kind] || []).push(store.facets[f.name].bits); });
    return function (d) {
      return Object.keys(kinds).every(function (kind) {
        return kinds[kind].some(function (bits) { return (bits[d >> 3] >> (d & 7)) & 1; });
      });
    };
  }

  // The documents' rows and texts for `results`, then the nearness bonus
  // and the passage to show for each.
  function refine(outcome, count) {
    var shown = outcome.results.slice(0, count);
    return loadRows(shown).then(function () {
      return Promise.all(shown.map(function (r) { return loadText(r).catch(function () { return null; }); }));
    }).then(function () {
      var refined = Math.min(REFINED, shown.length);
      shown.forEach(function (r, i) {
        r.row = rowOf(r.doc);
        r.passage = passage(r, outcome.words);
        if (i < refined) r.score *= 1 + r.passage.nearness;
      });
      var head = shown.slice(0, refined).sort(byRank);
      for (var i = 0; i < refined; i++) outcome.results[i] = head[i];
      return outcome;
    });
  }
  function rowOf(d) {
    var chunk = store.chunks[Math.floor(d / store.meta.chunk)];
    return chunk && chunk.rows[d % store.meta.chunk];
  }
  function loadRows(results) {
    var chunks = dict();
    results.forEach(function (r) { chunks[Math.floor(r.doc / store.meta.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (k) {
      return loadVersioned("docs", k, "search/docs/" + k + ".js", store.meta.docs_v, store.chunks[k]);
    }));
  }
  function textPath(url) { return "search/text/" + url.replace(/\/index\.html$/, "") + ".js"; }
  function loadText(r) {
    var row = rowOf(r.doc);
    if (!row) return Promise.resolve();
    return loadVersioned("text", row[0], textPath(row[0]), row[4], store.texts[row[0]]);
  }

  // Which words of `text` the query's words match: the text's words, and
  // for each match its word's place and the query word it matches.
  function matchesIn(text, words) {
    var found = [];
    var segs = segments(text);
    segs.forEach(function (segment, position) {
      var folded = fold(segment.text);
      if (!folded) return;
      var term = termOf(folded);
      words.forEach(function (w, k) {
        if (w.common) return;
        var longer = term.startsWith(w.term) && Array.from(term).length - Array.from(w.term).length <= 3;
        if (term === w.term || longer || (w.prefix && folded.startsWith(w.word))) found.push({ position: position, word: k });
      });
    });
    return { text: text, segments: segs, found: found };
  }

  // The smallest run of words that holds every query word found here.
  function smallestWindow(found, count) {
    var best = null, have = new Map(), left = 0, distinct = 0;
    for (var right = 0; right < found.length; right++) {
      var k = found[right].word;
      have.set(k, (have.get(k) || 0) + 1);
      if (have.get(k) === 1) distinct++;
      while (distinct === count) {
        var span = found[right].position - found[left].position + 1;
        if (!best || span < best.span) best = { from: found[left].position, to: found[right].position, span: span };
        var j = found[left].word;
        have.set(j, have.get(j) - 1);
        if (have.get(j) === 0) distinct--;
        left++;
      }
    }
    return best;
  }

  // The section of a result to quote and link to, the words of it to
  // show, and the bonus for query words close together: up to +60% for
  // a phrase, less as they stand further apart in one section.
  function passage(r, words) {
    var text = r.row && store.texts[r.row[0]];
    var empty = { anchor: "", heading: "", text: "", marks: [], nearness: 0 };
    if (!text) return empty;
    var best = null;
    var sections = text.sections.map(function (s, i) {
      return { anchor: s[0], heading: s[1], text: i === 0 && text.summary ? (text.summary + " " + s[2]).trim() : s[2] };
    });
    sections.forEach(function (section) {
      var m = matchesIn(section.text, words);
      var inHeading = matchesIn(section.heading, words).found;
      var distinct = new Set(m.found.map(function (f) { return f.word; }).concat(inHeading.map(function (f) { return f.word; }))).size;
      if (!distinct) return;
      var marked = words.filter(function (w) { return !w.common; }).length;
      var win = marked > 1 ? smallestWindow(m.found, marked) : null;
      var nearness = 0;
      if (win) nearness = win.span === marked ? 0.6 : win.span <= 3 * marked ? 0.3 : win.span <= 12 * marked ? 0.15 : 0.05;
      // Most query words first; then a heading that names them, then
      // nearness, then how often they occur.
      var named = new Set(inHeading.map(function (f) { return f.word; })).size;
      var value = distinct * 10 + named * 4 + nearness * 10 + Math.min(m.found.length, 5) / 10;
      if (!best || value > best.value) best = { value: value, section: section, m: m, win: win, nearness: nearness };
    });
    if (!best) {
      var first = sections[0] || { anchor: "", heading: "", text: "" };
      return { anchor: "", heading: "", text: excerpt(matchesIn(first.text, words), null, []), marks: [], nearness: 0 };
    }
    return {
      anchor: best.section.anchor,
      heading: best.section.heading,
      text: excerpt(best.m, best.win, best.m.found),
      nearness: best.nearness,
    };
  }

  // About 28 words of the text around the matches, as runs of text and
  // marked words, cut at the spaces around them: a quote or a full stop
  // stays with its word.
  function excerpt(m, win, found) {
    var segs = m.segments, text = m.text;
    if (!segs.length) return { pieces: [], before: false, after: false };
    var centre = win ? win.from : found.length ? found[0].position : 0;
    var to = Math.min(segs.length, Math.max(0, centre - 10) + 28);
    var from = Math.max(0, to - 28);
    var marked = new Set(found.map(function (f) { return f.position; }));
    var low = from > 0 ? segs[from - 1].start + segs[from - 1].text.length : 0;
    var start = segs[from].start;
    while (start > low && !/\s/.test(text[start - 1])) start--;
    var pieces = [], at = start;
    for (var i = from; i < to; i++) {
      var s = segs[i];
      if (!marked.has(i)) continue;
      if (s.start > at) pieces.push({ text: m.text.slice(at, s.start), mark: false });
      pieces.push({ text: s.text, mark: true });
      at = s.start + s.text.length;
    }
    var end = segs[to - 1].start + segs[to - 1].text.length;
    var high = to < segs.length ? segs[to].start : text.length;
    while (end < high && !/\s/.test(text[end])) end++;
    if (end > at) pieces.push({ text: text.slice(at, end), mark: false });
    return { pieces: pieces, before: from > 0, after: to < segs.length };
  }

  // Words of the index close to a word that found nothing, for "did you
  // mean": at most two edits away, most used first.
  function suggestions(words) {
    var meta = store.meta;
    var files = dict();
    words.forEach(function (w) {
      var name = fileName(Array.from(w.word)[0]);
      meta.words.forEach(function (entry) { if (entry[0] === name) files[name] = entry[1]; });
    });
    return Promise.all(Object.keys(files).map(function (name) {
      return loadVersioned("words", name, "search/words/" + name + ".js", files[name], store.words[name]);
    })).then(function () {
      var out = [];
      words.forEach(function (w) {
        var list = store.words[fileName(Array.from(w.word)[0])];
        if (!list) return;
        var near = [];
        list.rows.forEach(function (row) {
          if (row[0] === w.word) return;
          var d = distance(w.word, row[0], 2);
          if (d <= 2) near.push({ word: row[0], d: d, df: row[1] });
        });
        near.sort(function (a, b) { return a.d - b.d || b.df - a.df || (a.word < b.word ? -1 : 1); });
        near.slice(0, 3).forEach(function (n) { if (out.indexOf(n.word) < 0) out.push(n.word); });
      });
      return out.slice(0, 5);
    });
  }
  // Damerau-Levenshtein distance, giving up past `max`.
  function distance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push(new Array(b.length + 1).fill(0)); rows[i][0] = i; }
    for (j = 0; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var least = Infinity;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
        rows[i][j] = v;
        if (v < least) least = v;
      }
      if (least > max) return max + 1;
    }
    return rows[a.length][b.length];
  }

  // ------------------------------------------------------------- the display

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function resultUrl(r) {
    var url = root + r.row[0];
    return r.passage && r.passage.anchor ? url + "#" + encodeURIComponent(r.passage.anchor) : url;
  }

  // One result: its title (the words found marked), its levels, the
  // section it leads to, and the passage.
  function drawResult(link, r, words) {
    var meta = store.meta;
    var title = el("span", "sr-title");
    markWords(title, r.row[1], words);
    link.appendChild(title);
    var levels = r.row[2] || [];
    if (levels.length) {
      var marks = el("span", "sr-levels");
      levels.forEach(function (i) {
        var level = meta.levels[i];
        if (!level) return;
        var chip = el("span", "sr-level lv-" + level.id);
        var glyph = el("span", "glyph", level.glyph);
        glyph.setAttribute("aria-hidden", "true");
        chip.append(glyph, level.name);
        marks.appendChild(chip);
      });
      link.appendChild(marks);
    }
    if (r.passage && r.passage.heading) {
      var heading = el("span", "sr-heading");
      markWords(heading, r.passage.heading, words);
      link.appendChild(heading);
    }
    var text = r.passage && r.passage.text;
    if (text && text.pieces && text.pieces.length) {
      var quote = el("span", "sr-passage");
      if (text.before) quote.appendChild(document.createTextNode("… "));
      text.pieces.forEach(function (piece) {
        quote.appendChild(piece.mark ? el("mark", "", piece.text) : document.createTextNode(piece.text));
      });
      if (text.after) quote.appendChild(document.createTextNode(" …"));
      link.appendChild(quote);
    }
  }
  // `text` with the words the query found marked.
  function markWords(node, text, words) {
    var m = matchesIn(text, words), at = 0;
    var hits = new Set(m.found.map(function (f) { return f.position; }));
    m.segments.forEach(function (s, i) {
      if (!hits.has(i)) return;
      if (s.start > at) node.appendChild(document.createTextNode(text.slice(at, s.start)));
      node.appendChild(el("mark", "", s.text));
      at = s.start + s.text.length;
    });
    if (at < text.length) node.appendChild(document.createTextNode(text.slice(at)));
  }

  function resultsPageUrl(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    (filters.levels || []).forEach(function (i) { params.append("level", store.meta ? store.meta.levels[i].id : i); });
    (filters.contexts || []).forEach(function (i) { params.append("context", store.meta ? store.meta.contexts[i].id : i); });
    var q = params.toString();
    return root + "search/index.html" + (q ? "?" + q : "");
  }

  // The level and context filters: toggle buttons in the levels' colours.
  function drawFilters(holder, filters, changed) {
    var meta = store.meta;
    holder.replaceChildren();
    [["levels", meta.levels, "Level"], ["contexts", meta.contexts, "Context"]].forEach(function (kind) {
      if (!kind[1].length) return;
      var group = el("div", "sr-filter-group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Only pages of a " + kind[2].toLowerCase());
      group.appendChild(el("span", "sr-filter-label", kind[2]));
      kind[1].forEach(function (term, i) {
        var button = el("button", "sr-filter" + (kind[0] === "levels" ? " lv-" + term.id : ""));
        button.type = "button";
        if (term.glyph) {
          var glyph = el("span", "glyph", term.glyph);
          glyph.setAttribute("aria-hidden", "true");
          button.appendChild(glyph);
        }
        button.appendChild(document.createTextNode(term.name));
        var on = filters[kind[0]].indexOf(i) >= 0;
        button.setAttribute("aria-pressed", String(on));
        button.addEventListener("click", function () {
          var list = filters[kind[0]], at = list.indexOf(i);
          if (at >= 0) list.splice(at, 1); else list.push(i);
          button.setAttribute("aria-pressed", String(at < 0));
          changed();
        });
        group.appendChild(button);
      });
      holder.appendChild(group);
    });
  }

  function countText(n, partial) {
    if (n === 0) return "No results";
    return (n === 1 ? "1 result" : n + " results") + (partial ? " with some of the words" : "");
  }

  // Words longer than the index keeps are not searched: say so, rather
  // than show nothing.
  var TOO_LONG = "Words of more than " + MAX_WORD_CHARS + " letters are not searched";

  // When the filters leave nothing, how many pages the words find without
  // them, and a button that clears them.
  // Resolves to that count (0 without filters).
  function drawUnfiltered(holder, query, filters, clear, complete) {
    if (!filters.levels.length && !filters.contexts.length) return Promise.resolve(0);
    return run(query, { levels: [], contexts: [] }, 1, complete).then(function (outcome) {
      var n = outcome.count;
      if (!n) return 0;
      var found = outcome.partial
        ? (n === 1 ? "1 page has" : n + " pages have") + " some of the words"
        : n === 1 ? "1 page matches" : n + " pages match";
      var p = el("p", "sr-suggest", found + " without the filters. ");
      var button = el("button", "sr-clear", "Clear the filters");
      button.type = "button";
      button.addEventListener("click", function () {
        filters.levels.length = 0;
        filters.contexts.length = 0;
        clear();
      });
      p.appendChild(button);
      holder.appendChild(p);
      return n;
    });
  }

  // What "No results" adds under `holder`: how many pages the filters
  // hid, with a button that clears them (then `changed()` searches again),
  // or else the closest words (`take(query)` searches for one). `current()`
  // says whether this search is still the latest.
  function drawNoResults(holder, o) {
    var cleared = function () {
      drawFilters(o.filtersHolder, o.filters, o.changed);
      o.input.focus();
      o.changed();
    };
    drawUnfiltered(holder, o.query, o.filters, cleared, o.complete).then(function (unfiltered) {
      if (!unfiltered && o.current()) drawSuggestions(holder, o.words, o.filters, o.take);
    });
  }

  function drawSuggestions(holder, words, filters, inPage) {
    return suggestions(words).then(function (list) {
      if (!list.length) return;
      var p = el("p", "sr-suggest", "Did you mean ");
      list.forEach(function (word, i) {
        if (i > 0) p.appendChild(document.createTextNode(i === list.length - 1 ? " or " : ", "));
        var query = words.map(function (w) { return distance(w.word, word, 2) <= 2 ? word : w.word; }).join(" ");
        var a = el("a", "", word);
        a.href = resultsPageUrl(query, filters);
        if (inPage) a.addEventListener("click", function (event) { event.preventDefault(); inPage(query); });
        p.appendChild(a);
      });
      p.appendChild(document.createTextNode("?"));
      holder.appendChild(p);
    });
  }

  // --------------------------------------------------- the box in the header

  // The field and its results, made here rather than written into every
  // page: without JavaScript there is nothing to search with, and 10,000
  // pages would each carry a kilobyte of it. A theme places it with
  // <div id="pb-search-slot"></div>; otherwise it goes before the theme
  // button.
  function mountBox() {
    var slot = document.getElementById("pb-search-slot");
    if (!slot) {
      var toggle = document.querySelector(".topbar .theme-toggle");
      if (!toggle) return;
      slot = el("div", "search-slot");
      toggle.parentNode.insertBefore(slot, toggle);
    }
    var opener = el("button", "search-open");
    opener.type = "button";
    opener.id = "pb-search-open";
    opener.setAttribute("aria-controls", "pb-search");
    opener.setAttribute("aria-expanded", "false");
    var icon = el("span", "search-icon");
    icon.setAttribute("aria-hidden", "true");
    opener.append(icon, el("span", "visually-hidden", "Search"));
    var form = el("form", "search");
    form.id = "pb-search";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "The handbook");
    form.action = root + "search/index.html";
    var label = el("label", "visually-hidden", "Search the handbook");
    label.htmlFor = "pb-search-input";
    var input = el("input");
    input.id = "pb-search-input";
    input.name = "q";
    input.type = "search";
    input.placeholder = "Search";
    input.autocomplete = "off";
    input.spellcheck = false;
    [["role", "combobox"], ["aria-expanded", "false"], ["aria-controls", "pb-search-list"],
      ["aria-autocomplete", "list"], ["aria-keyshortcuts", "/ Control+K"]].forEach(function (a) { input.setAttribute(a[0], a[1]); });
    var key = el("kbd", "search-key", "/");
    key.setAttribute("aria-hidden", "true");
    var popup = el("div", "search-popup");
    popup.id = "pb-search-popup";
    popup.hidden = true;
    var filters = el("div", "sr-filters");
    filters.id = "pb-search-filters";
    var count = el("p", "sr-count");
    count.id = "pb-search-count";
    var list = el("div", "sr-list");
    list.id = "pb-search-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    list.hidden = true;
    var more = el("div", "sr-footer");
    more.id = "pb-search-more";
    popup.append(filters, count, list, more);
    var status = el("p", "visually-hidden");
    status.id = "pb-search-status";
    status.setAttribute("role", "status");
    form.append(label, input, key, popup, status);
    slot.replaceChildren(opener, form);
  }

  function setUpBox() {
    var form = document.getElementById("pb-search");
    var input = document.getElementById("pb-search-input");
    var popup = document.getElementById("pb-search-popup");
    var list = document.getElementById("pb-search-list");
    var count = document.getElementById("pb-search-count");
    var status = document.getElementById("pb-search-status");
    var filtersHolder = document.getElementById("pb-search-filters");
    var footer = document.getElementById("pb-search-more");
    var opener = document.getElementById("pb-search-open");
    if (!form || !input || !popup || !list || !count || !status) return;
    var filters = { levels: [], contexts: [] };
    var active = -1, options = [], generation = 0, drawnFilters = false;

    function setOpen(open) {
      popup.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (!open) setActive(-1);
    }
    // On a phone the field is a bar the magnifier opened: closing it hands
    // focus back to the magnifier, which says the bar is closed.
    function phoneBar() { return !!opener && opener.offsetParent !== null; }
    function closeBar(refocus) {
      doc.classList.remove("search-shown");
      if (!opener) return;
      opener.setAttribute("aria-expanded", "false");
      if (refocus && phoneBar()) opener.focus();
    }
    // A result was chosen: whether it opens another page or a section of
    // this one, the results go.
    function chosen() {
      setOpen(false);
      closeBar(false);
    }
    function setActive(i) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function update() {
      var query = input.value;
      var mine = ++generation;
      var words = queryWords(query);
      if (!words.length) {
        setActive(-1);
        list.replaceChildren();
        options = [];
        status.textContent = words.tooLong ? TOO_LONG : "";
        count.textContent = status.textContent;
        list.hidden = true;
        footer.replaceChildren();
        setOpen(!!words.tooLong);
        return;
      }
      var started = performance.now();
      loadMeta(false).then(function () {
        if (!drawnFilters) { drawFilters(filtersHolder, filters, update); drawnFilters = true; }
        return run(query, filters, RESULTS_SHOWN);
      }).then(function (outcome) {
        if (mine !== generation) return null;
        return refine(outcome, RESULTS_SHOWN);
      }).then(function (outcome) {
        if (!outcome || mine !== generation) return;
        list.replaceChildren();
        options = [];
        active = -1;
        input.removeAttribute("aria-activedescendant");
        outcome.results.slice(0, RESULTS_SHOWN).forEach(function (r, i) {
          if (!r.row) return;
          var option = el("a", "sr-option");
          option.id = "pb-sr-" + i;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.tabIndex = -1;
          option.href = resultUrl(r);
          drawResult(option, r, outcome.words);
          list.appendChild(option);
          options.push(option);
        });
        var n = outcome.count;
        list.hidden = options.length === 0;
        count.textContent = countText(n, outcome.partial);
        status.textContent = count.textContent;
        footer.replaceChildren();
        var all = el("a", "sr-all", n > RESULTS_SHOWN ? "All " + n + " results" : "Open the results page");
        all.href = resultsPageUrl(query, filters);
        footer.appendChild(all);
        if (n === 0) {
          drawNoResults(footer, {
            query: query, words: outcome.words, filters: filters, filtersHolder: filtersHolder, input: input,
            changed: update,
            take: function (q) { input.value = q; input.focus(); update(); },
            current: function () { return mine === generation; },
          });
        }
        popup.setAttribute("data-ms", String(Math.round(performance.now() - started)));
        setOpen(true);
      }).catch(function (error) {
        if (mine !== generation) return;
        count.textContent = "Search is unavailable: " + error.message;
        status.textContent = count.textContent;
        setOpen(true);
      });
    }

    var timer = 0;
    input.addEventListener("input", function () {
      // What the loaded shards answer is shown at once; what needs another
      // file waits for a pause in the typing, so that a word typed fast
      // does not fetch the shards of each of its prefixes.
      window.clearTimeout(timer);
      if (isLoaded(input.value)) update();
      else timer = window.setTimeout(update, TYPING_PAUSE);
    });
    input.addEventListener("focus", function () {
      // A new search session: take the index as it is now.
      loadMeta(true).catch(function () {});
      if (input.value.trim() && options.length) setOpen(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (popup.hidden && input.value.trim()) { setOpen(true); }
        if (!options.length) return;
        event.preventDefault();
        // Down from the field goes to the first result, and past the last
        // one back to the field; up the other way round.
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next < -1) next = options.length - 1;
        if (next >= options.length) next = -1;
        setActive(next);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (options[active]) {
          var href = options[active].href;
          chosen();
          window.location.href = href;
        } else if (input.value.trim()) window.location.href = resultsPageUrl(input.value, filters);
      } else if (event.key === "Escape") {
        event.preventDefault();
        // Open results close first; on a phone the bar goes with them, and
        // the magnifier takes the focus back.
        var phone = phoneBar();
        if (!popup.hidden) setOpen(false);
        else if (input.value && !phone) { input.value = ""; update(); }
        else if (!phone) input.blur();
        closeBar(phone);
      }
    });
    list.addEventListener("click", function (event) {
      // A click that opens a new tab or window leaves this one as it was.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (event.target.closest && event.target.closest(".sr-option")) chosen();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) window.location.href = resultsPageUrl(input.value, filters);
    });
    document.addEventListener("click", function (event) {
      // The path as the click found it: what the click did may have taken
      // its target out of the panel (a filter cleared, a suggestion taken).
      var path = event.composedPath();
      if (path.indexOf(form) < 0 && !(opener && path.indexOf(opener) >= 0)) {
        setOpen(false);
        closeBar(false);
      }
    });
    // `/` or Ctrl-K (Cmd-K) goes to the search field from anywhere.
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      var slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
      var k = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !k) return;
      event.preventDefault();
      doc.classList.add("search-shown");
      if (opener) opener.setAttribute("aria-expanded", "true");
      input.focus();
      input.select();
    });
    if (opener) {
      opener.addEventListener("click", function () {
        var open = !doc.classList.contains("search-shown");
        doc.classList.toggle("search-shown", open);
        opener.setAttribute("aria-expanded", String(open));
        if (open) input.focus();
      });
    }
  }

  // ------------------------------------------------------ the results page

  function setUpPage() {
    var input = document.getElementById("pb-search-page");
    var holder = document.getElementById("pb-search-page-results");
    var filtersHolder = document.getElementById("pb-search-page-filters");
    var status = document.getElementById("pb-search-page-status");
    var form = input && input.form;
    if (!input || !holder) return;
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var filters = { levels: [], contexts: [] };
    var shown = PAGE_SIZE, generation = 0;

    function remember() {
      try { window.history.replaceState(null, "", resultsPageUrl(input.value, filters)); } catch (e) { /* file:// may refuse */ }
    }
    function update(more) {
      var query = input.value;
      var mine = ++generation;
      var before = more ? shown - PAGE_SIZE : 0;
      if (!more) shown = PAGE_SIZE;
      var words = queryWords(query, true);
      if (!words.length) {
        holder.replaceChildren();
        status.textContent = words.tooLong ? TOO_LONG : "";
        return;
      }
      loadMeta(false).then(function () { return run(query, filters, shown, true); }).then(function (outcome) {
        return mine === generation ? refine(outcome, shown) : null;
      }).then(function (outcome) {
        if (!outcome || mine !== generation) return;
        holder.replaceChildren();
        var n = outcome.count;
        status.textContent = countText(n, outcome.partial) + " for “" + query.trim() + "”";
        var ol = el("ol", "sr-page-list");
        outcome.results.slice(0, shown).forEach(function (r) {
          if (!r.row) return;
          var li = el("li");
          var a = el("a", "sr-option");
          a.href = resultUrl(r);
          drawResult(a, r, outcome.words);
          li.appendChild(a);
          ol.appendChild(li);
        });
        holder.appendChild(ol);
        // "Show more" went with the old list: the first new result takes
        // its focus, so keyboard and screen reader users read on from it.
        var next = more && ol.querySelectorAll(".sr-option")[before];
        if (next) next.focus();
        if (n > shown) {
          var button = el("button", "sr-more", "Show more results");
          button.type = "button";
          button.addEventListener("click", function () { shown += PAGE_SIZE; update(true); });
          holder.appendChild(button);
        }
        if (n === 0) {
          drawNoResults(holder, {
            query: query, words: outcome.words, filters: filters, filtersHolder: filtersHolder, input: input,
            complete: true,
            changed: function () { remember(); update(); },
            take: function (q) { input.value = q; remember(); update(); },
            current: function () { return mine === generation; },
          });
        }
      }).catch(function (error) {
        status.textContent = "Search is unavailable: " + error.message;
      });
    }
    loadMeta(true).then(function () {
      var meta = store.meta;
      params.getAll("level").forEach(function (id) {
        var i = meta.levels.findIndex(function (l) { return l.id === id; });
        if (i >= 0 && filters.levels.indexOf(i) < 0) filters.levels.push(i);
      });
      params.getAll("context").forEach(function (id) {
        var i = meta.contexts.findIndex(function (c) { return c.id === id; });
        if (i >= 0 && filters.contexts.indexOf(i) < 0) filters.contexts.push(i);
      });
      drawFilters(filtersHolder, filters, function () { remember(); update(); });
      update();
    }).catch(function (error) { status.textContent = "Search is unavailable: " + error.message; });
    input.addEventListener("input", function () { remember(); update(); });
    if (form) form.addEventListener("submit", function (event) { event.preventDefault(); remember(); update(); });
  }

  mountBox();
  setUpBox();
  setUpPage();
})();
