#!/usr/bin/env python3
"""Generate a synthetic playbook corpus for the build benchmarks.

    python3 bench/gen_corpus.py N OUTDIR [--seed S] [--variants playbook,hugo,zola] [--force]

Writes N generated pages, the same pages in every variant, one folder per
variant under OUTDIR:

  playbook/  book.toml (levels impact/execution/optics, ten contexts) and
             content/page-NNNN.md with YAML frontmatter (title, summary,
             levels, contexts, diagnostic_questions whose Yes/No answers lead
             to other pages, sources with a video timestamp), plus
             content/decide.md, a decision page starting at the first question.
             Bodies (about 4.5 KB) mix `[text](page-0042.md)`,
             `[[page-0042 | text]]` and `[[page-0042]]` links.
  hugo/      a minimal Hugo site (taxonomies levels/contexts); links are
             `{{< ref "page-0042.md" >}}`, so Hugo resolves and checks them.
  zola/      a minimal Zola site (taxonomies levels/contexts); links are
             `@/page-0042.md`, so Zola resolves and checks them.
  mdbook/    an mdBook (src/SUMMARY.md grouped by level), the frontmatter
             written into each body; for the size of mdBook's search index.

Every link and every answer points at a generated page, so all of them
resolve. The output depends only on (N, seed): the same pair gives
byte-identical files, whichever variants are asked for. Python 3 standard
library only. The default variant is `playbook` alone.
"""

import argparse
import os
import random
import shutil
import sys

DEFAULT_SEED = 20260701

LEVELS = ("impact", "execution", "optics")
CONTEXTS = (
    "early-stage", "growth-stage", "enterprise", "platform-team", "product-team",
    "remote-first", "regulated", "agency", "open-source", "hardware",
)

TITLE_VERBS = (
    "Diagnosing", "Fixing", "Preventing", "Recovering from", "Measuring",
    "Escalating", "Reframing", "Untangling", "Auditing", "Scoping", "Sequencing",
)
TITLE_ADJECTIVES = (
    "misaligned", "stalled", "hidden", "overloaded", "ambiguous", "late",
    "orphaned", "fragile", "contested", "invisible", "noisy", "silent",
)
TITLE_NOUNS = (
    "OKRs", "roadmaps", "launches", "migrations", "incidents", "hiring plans",
    "dependencies", "stakeholders", "budgets", "design reviews", "handoffs",
    "quarterly plans", "tech debt", "postmortems",
)

VOCABULARY = """
team strategy signal owner scope deadline review metric outcome risk context
decision tradeoff meeting budget launch customer feedback priority alignment
estimate milestone plan goal process leverage delivery quality incident
escalation sponsor narrative evidence baseline cadence forum roadmap dependency
capacity hiring manager engineer director peer partner stakeholder audience
document memo proposal draft summary update status blocker follow-up weekly
quarterly early late clear vague explicit implicit shared written verbal
public private small large critical minor visible quiet slow fast careful
rushed honest political practical
""".split()

INLINE_CODE = (
    "owner: tbd", "P0", "--dry-run", "status=red", "DRI", "RFC-0007",
    "ETA+2w", "blocked_by", "SLO 99.9%", "git revert",
)

QUESTION_TEXTS = (
    "Do teams share one written strategy?",
    "Is there a single named owner for the outcome?",
    "Has the sponsor seen the latest numbers?",
    "Are the dependencies tracked in one place?",
    "Did the last review end with a written decision?",
    "Is the deadline tied to an external commitment?",
    "Do peers agree on what success looks like?",
    "Is the team staffed for the current scope?",
    "Has the risk been raised above your manager?",
    "Would the customer notice if this slipped a month?",
)

SECTION_HEADINGS = (
    "Symptoms", "Why it happens", "First moves", "Longer-term fixes",
    "What to say", "Pitfalls", "Signals of progress", "When to escalate",
    "Worked example", "Checklist", "Background",
)

QUOTATIONS = (
    "Strategy is what you say no to.",
    "If it is not written down, it did not happen.",
    "Visibility is part of the work, not a tax on it.",
    "Most schedule risk is dependency risk in disguise.",
)

LINK_LEADS = ("see", "compare", "related:", "also")

# ----------------------------------------------------------------- the model
#
# A body is a list of blocks separated by blank lines; a block is a list of
# pieces, each either literal Markdown (str) or a Link, which every variant
# writes in its own syntax.


class Link:
    __slots__ = ("kind", "target", "text")

    def __init__(self, kind, target, text):
        self.kind = kind        # "md", "wiki" or "bare"
        self.target = target    # slug of the page linked to
        self.text = text


class Page:
    def __init__(self, index, slug, title, level, contexts, summary):
        self.index = index
        self.slug = slug
        self.title = title
        self.level = level
        self.contexts = contexts
        self.summary = summary
        self.questions = []     # (text, yes_slug, no_slug)
        self.body = []

    @property
    def topic(self):
        """The title without its "Page N: " prefix."""
        return self.title.partition(": ")[2]

    def timestamp(self):
        seconds = 60 + (self.index * 37) % 3500
        return "%02d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


class BodyWriter:
    """Draws the body of one page from the shared random stream."""

    def __init__(self, rng, page, pages, pick_other):
        self.rng = rng
        self.page = page
        self.pages = pages
        count = rng.randint(5, 10)
        kinds = ["md", "wiki"] + [rng.choice(("md", "md", "wiki", "bare")) for _ in range(count - 2)]
        targets = [pick_other(page.index) for _ in range(count)]
        self.pending = list(zip(kinds, targets))

    def words(self, low=8, high=18):
        text = " ".join(self.rng.choice(VOCABULARY) for _ in range(self.rng.randint(low, high)))
        return text[0].upper() + text[1:] + self.rng.choice("...?!")

    def next_link(self):
        if not self.pending:
            return None
        kind, target = self.pending.pop(0)
        text = "%s %s" % (self.rng.choice(LINK_LEADS), self.pages[target].topic.lower())
        return Link(kind, self.pages[target].slug, text)

    def paragraph(self, low, high, link=False, code=False, emphasis=False):
        count = self.rng.randint(low, high)
        pieces = []
        for n in range(count):
            text = self.words()
            if emphasis and n == 1:
                tokens = text.split(" ")
                at = self.rng.randrange(1, len(tokens) - 1)
                tokens[at] = self.rng.choice(("*%s*", "**%s**", "_%s_")) % tokens[at]
                text = " ".join(tokens)
            if code and n == 0:
                text = "%s (`%s`)%s" % (text[:-1], self.rng.choice(INLINE_CODE), text[-1])
            pieces.append(text + " ")
            if link and n == count // 2:
                target = self.next_link()
                if target is not None:
                    pieces += ["Read more: ", target, ". "]
        pieces[-1] = pieces[-1].rstrip()
        return pieces

    def bullets(self):
        lines = ["- %s\n" % self.words(5, 10) for _ in range(self.rng.randint(3, 5))]
        target = self.next_link()
        if target is None:
            lines[-1] = lines[-1].rstrip("\n")
            return lines
        return lines + ["- ", target]

    def numbered(self):
        lines = ["%d. %s" % (k, self.words(5, 10)) for k in range(1, self.rng.randint(3, 5) + 1)]
        return ["\n".join(lines)]

    def table(self):
        rows = ["| Signal | Owner | Cadence |", "| --- | --- | --- |"]
        for _ in range(self.rng.randint(3, 4)):
            rows.append("| %s | %s | %s |" % (
                self.rng.choice(VOCABULARY), self.rng.choice(VOCABULARY),
                self.rng.choice(("weekly", "monthly", "quarterly"))))
        return ["\n".join(rows)]

    def build(self):
        blocks = [self.paragraph(4, 6, link=True, emphasis=True)]
        headings = self.rng.sample(SECTION_HEADINGS, self.rng.randint(3, 5))
        for n, heading in enumerate(headings):
            blocks.append(["## " + heading])
            blocks.append(self.paragraph(4, 6, link=True, code=n == 0, emphasis=n == 1))
            if n == 0:
                blocks.append(self.bullets())
            elif n == 1:
                blocks.append(self.numbered())
            elif n == 2:
                blocks.append(self.table())
                blocks.append(["> " + self.rng.choice(QUOTATIONS)])
                blocks.append(self.paragraph(2, 3))
            else:
                blocks.append(self.paragraph(2, 4))
        rest = []
        while True:
            target = self.next_link()
            if target is None:
                break
            rest += [", ", target] if rest else [target]
        if rest:
            blocks.append(["## See also"])
            blocks.append(["Further reading: "] + rest + ["."])
        return blocks


def generate(n, seed):
    rng = random.Random(seed)
    width = max(4, len(str(n - 1)))
    pages = []
    for i in range(n):
        title = "Page %d: %s %s %s" % (
            i, rng.choice(TITLE_VERBS), rng.choice(TITLE_ADJECTIVES), rng.choice(TITLE_NOUNS))
        level = rng.choice(LEVELS)
        contexts = sorted(rng.sample(CONTEXTS, rng.randint(1, 3)))
        summary = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(10, 16)))
        summary = summary[0].upper() + summary[1:] + "."
        pages.append(Page(i, "page-%0*d" % (width, i), title, level, contexts, summary))

    def pick_other(i):
        """A page index other than i (i itself when there is only one page)."""
        if n == 1:
            return i
        j = rng.randrange(n - 1)
        return j + (j >= i)

    for page in pages:
        for text in rng.sample(QUESTION_TEXTS, rng.randint(1, 3)):
            page.questions.append((text, pages[pick_other(page.index)].slug, pages[pick_other(page.index)].slug))
        page.body = BodyWriter(rng, page, pages, pick_other).build()
    return pages


# ----------------------------------------------------------------- writing


def quoted(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def body_text(page, write_link):
    return "\n\n".join(
        "".join(piece if isinstance(piece, str) else write_link(piece) for piece in block)
        for block in page.body) + "\n"


def save(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def frontmatter(lines):
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def plain_link_text(link, titles):
    """Link text for tools without bare wiki links: the target's title."""
    text = titles[link.target] if link.kind == "bare" else link.text
    return text.replace("[", "(").replace("]", ")")


def write_playbook(root, pages):
    config = ['[book]', 'title = "Generated playbook"', '', '[playbook]', 'levels = [']
    config += ['  { id = "%s", name = "%s", summary = "Work at the %s level." },' % (lv, lv.capitalize(), lv)
               for lv in LEVELS]
    config += [']', 'contexts = [']
    config += ['  { id = "%s", name = "%s", summary = "Teams that are %s." },'
               % (c, c.replace("-", " ").capitalize(), c.replace("-", " ")) for c in CONTEXTS]
    config += [']']
    save(os.path.join(root, "book.toml"), "\n".join(config) + "\n")

    def link(l):
        if l.kind == "md":
            return "[%s](%s.md)" % (l.text, l.target)
        if l.kind == "wiki":
            return "[[%s | %s]]" % (l.target, l.text)
        return "[[%s]]" % l.target

    for page in pages:
        fm = ["title: " + quoted(page.title), "summary: " + quoted(page.summary),
              "levels: [%s]" % page.level, "contexts: [%s]" % ", ".join(page.contexts),
              "diagnostic_questions:"]
        for k, (text, yes, no) in enumerate(page.questions, 1):
            fm += ["  - id: %s-q%d" % (page.slug, k), "    ask: " + quoted(text), "    answers:",
                   '      - { label: "Yes", leads_to: %s }' % yes,
                   '      - { label: "No", leads_to: %s }' % no]
        fm += ["sources:",
               '  - { video: YP_QghPLG-8, at: "%s", note: "background" }' % page.timestamp()]
        save(os.path.join(root, "content", page.slug + ".md"), frontmatter(fm) + body_text(page, link))

    save(os.path.join(root, "content", "decide.md"), frontmatter([
        'title: "Where to start"',
        'summary: "A decision page over the generated questions."',
        "decision: { start: %s-q1 }" % pages[0].slug,
    ]) + "Answer the questions to find the page for your situation.\n")


HUGO_FILES = {
    "config.toml": """\
baseURL = "http://127.0.0.1/"
languageCode = "en"
title = "Generated playbook"
disableKinds = ["RSS"]

[taxonomies]
  level = "levels"
  context = "contexts"
""",
    "layouts/_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
 | <a href="{{ "/levels/" | relURL }}">levels</a>
 | <a href="{{ "/contexts/" | relURL }}">contexts</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "layouts/_default/single.html": """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
<p class="meta">Level: {{ range .GetTerms "levels" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
&middot; Contexts: {{ range .GetTerms "contexts" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ with .Params.questions }}<section class="diagnostic"><h2>Diagnostic questions</h2><ul>
{{ range . }}<li>{{ .ask }}
{{ range .answers }}{{ $label := .label }}{{ with site.GetPage .page }} <a href="{{ .RelPermalink }}">{{ $label }} &rarr; {{ .Title }}</a>{{ end }}{{ end }}</li>
{{ end }}</ul></section>{{ end }}
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">&larr; {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }} &rarr;</a>{{ end }}</nav>
</article>{{ end }}
""",
    "layouts/_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
""",
    "layouts/_default/terms.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
""",
    "layouts/_default/taxonomy.html": """\
{{ define "main" }}<h1>{{ .Data.Singular | title }}: {{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
""",
    "content/_index.md": '---\ntitle: "Generated playbook"\n---\n',
}


def write_hugo(root, pages):
    for name, text in HUGO_FILES.items():
        save(os.path.join(root, name), text)
    titles = {p.slug: p.title for p in pages}

    def link(l):
        return '[%s]({{< ref "%s.md" >}})' % (plain_link_text(l, titles), l.target)

    for page in pages:
        fm = ["title: " + quoted(page.title), "summary: " + quoted(page.summary),
              "levels: [%s]" % page.level, "contexts: [%s]" % ", ".join(page.contexts),
              "questions:"]
        for text, yes, no in page.questions:
            fm += ["  - ask: " + quoted(text), "    answers:",
                   '      - { label: "Yes", page: %s }' % yes,
                   '      - { label: "No", page: %s }' % no]
        save(os.path.join(root, "content", page.slug + ".md"), frontmatter(fm) + body_text(page, link))


ZOLA_LIST = """\
{%% extends "base.html" %%}
{%% block main %%}<h1>%s</h1>
<ul>{%% for p in %s %%}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{%% endfor %%}</ul>{%% endblock main %%}
"""

ZOLA_FILES = {
    "config.toml": """\
base_url = "http://127.0.0.1"
title = "Generated playbook"
compile_sass = false
build_search_index = false
generate_feeds = false

taxonomies = [
    { name = "levels" },
    { name = "contexts" },
]
""",
    "templates/base.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title></head>
<body>
<header><a href="{{ get_url(path='/') | safe }}">{{ config.title }}</a>
 | <a href="{{ get_url(path='/levels/') | safe }}">levels</a>
 | <a href="{{ get_url(path='/contexts/') | safe }}">contexts</a></header>
<main>{% block main %}{% endblock main %}</main>
</body>
</html>
""",
    "templates/page.html": """\
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block main %}<article>
<h1>{{ page.title }}</h1>
<p class="summary">{{ page.description }}</p>
<p class="meta">Level: {% for t in page.taxonomies.levels %}<a href="{{ get_taxonomy_url(kind='levels', name=t) | safe }}">{{ t }}</a> {% endfor %}
&middot; Contexts: {% for t in page.taxonomies.contexts %}<a href="{{ get_taxonomy_url(kind='contexts', name=t) | safe }}">{{ t }}</a> {% endfor %}</p>
{% if page.extra.questions %}<section class="diagnostic"><h2>Diagnostic questions</h2><ul>
{% for q in page.extra.questions %}<li>{{ q.ask }}
{% for a in q.answers %}{% set target = get_page(path=a.page ~ ".md", metadata_only=true) %} <a href="{{ target.permalink | safe }}">{{ a.label }} &rarr; {{ target.title }}</a>{% endfor %}</li>
{% endfor %}</ul></section>{% endif %}
{{ page.content | safe }}
<nav>{% if page.lower %}<a href="{{ page.lower.permalink | safe }}">&larr; {{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink | safe }}">{{ page.higher.title }} &rarr;</a>{% endif %}</nav>
</article>{% endblock main %}
""",
    "templates/index.html": ZOLA_LIST % ("{{ section.title }}", "section.pages"),
    "templates/section.html": ZOLA_LIST % ("{{ section.title }}", "section.pages"),
    "templates/taxonomy_list.html": """\
{% extends "base.html" %}
{% block main %}<h1>{{ taxonomy.name }}</h1>
<ul>{% for term in terms %}<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.pages | length }})</li>
{% endfor %}</ul>{% endblock main %}
""",
    "templates/taxonomy_single.html": ZOLA_LIST % ("{{ taxonomy.name }}: {{ term.name }}", "term.pages"),
    # sort_by gives pages lower/higher neighbours, like Hugo's Prev/NextInSection.
    "content/_index.md": '+++\ntitle = "Generated playbook"\nsort_by = "title"\n+++\n',
}


def write_zola(root, pages):
    for name, text in ZOLA_FILES.items():
        save(os.path.join(root, name), text)
    titles = {p.slug: p.title for p in pages}

    def link(l):
        return "[%s](@/%s.md)" % (plain_link_text(l, titles), l.target)

    for page in pages:
        fm = ["title: " + quoted(page.title), "description: " + quoted(page.summary),
              "taxonomies:", "  levels: [%s]" % page.level,
              "  contexts: [%s]" % ", ".join(page.contexts),
              "extra:", "  questions:"]
        for text, yes, no in page.questions:
            fm += ["    - ask: " + quoted(text), "      answers:",
                   '        - { label: "Yes", page: %s }' % yes,
                   '        - { label: "No", page: %s }' % no]
        save(os.path.join(root, "content", page.slug + ".md"), frontmatter(fm) + body_text(page, link))


def write_mdbook(root, pages):
    """The same pages as an mdBook (for the size of its search index): the
    summary, levels, contexts and questions written into each body, the
    chapters grouped by level in SUMMARY.md."""
    save(os.path.join(root, "book.toml"),
         '[book]\ntitle = "Generated playbook"\nlanguage = "en"\nsrc = "src"\n\n[output.html]\n')
    titles = {p.slug: p.title for p in pages}

    def link(l):
        return "[%s](%s.md)" % (plain_link_text(l, titles), l.target)

    summary = ["# Summary", ""]
    for level in LEVELS:
        summary += ["", "# %s" % level.capitalize(), ""]
        summary += ["- [%s](%s.md)" % (p.title, p.slug) for p in pages if p.level == level]
    save(os.path.join(root, "src", "SUMMARY.md"), "\n".join(summary) + "\n")
    for page in pages:
        head = ["# " + page.title, "", "*%s*" % page.summary, "",
                "Level: **%s** · Contexts: %s" % (page.level, ", ".join(page.contexts)), "",
                "## Diagnostic questions", ""]
        head += ["- %s [Yes](%s.md) · [No](%s.md)" % (text, yes, no) for text, yes, no in page.questions]
        save(os.path.join(root, "src", page.slug + ".md"), "\n".join(head) + "\n\n" + body_text(page, link))


WRITERS = {"playbook": write_playbook, "hugo": write_hugo, "zola": write_zola, "mdbook": write_mdbook}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("n", type=int, metavar="N", help="number of pages")
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--variants", default="playbook",
                        help="comma-separated subset of %s (default: playbook)" % ",".join(WRITERS))
    parser.add_argument("--force", action="store_true", help="replace variant folders that exist")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in WRITERS:
            parser.error("unknown variant %r (choose from %s)" % (v, ", ".join(WRITERS)))
    for v in variants:
        root = os.path.join(args.outdir, v)
        if os.path.exists(root) and not args.force:
            sys.exit("%s exists (use --force to replace it)" % root)

    pages = generate(args.n, args.seed)
    for v in variants:
        root = os.path.join(args.outdir, v)
        if os.path.exists(root):
            shutil.rmtree(root)
        WRITERS[v](root, pages)
        print("wrote %s (%d pages)" % (root, args.n))


if __name__ == "__main__":
    main()
