//! The pages playbook generates from the content model: the home page, the
//! full contents, one page per level and per context, the levels x contexts
//! matrix, `404.html`, and the shared navigation file.

use super::view::{
    ContentsView, Crumb, HomeView, MatrixCell, MatrixRow, MatrixView, NavContext, NavData, NavPage, NavSection,
    NotFoundView, PageLink, SectionView, TermCard, TermView, TermsView,
};
use super::{OutputFile, Renderer};
use crate::config::Term;
use crate::diag::Diagnostic;
use crate::site::{TermPages, paths};
use crate::slug::relative_url;

/// Which vocabulary a term page belongs to.
#[derive(Clone, Copy)]
enum Kind {
    Level,
    Context,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Level => paths::LEVELS,
            Kind::Context => paths::CONTEXTS,
        }
    }
}

impl Renderer<'_> {
    /// Every generated page, in a fixed order.
    pub(super) fn generated_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut out = vec![self.home(), self.contents(), self.not_found()];
        for kind in [Kind::Level, Kind::Context] {
            let terms = self.terms_of(kind);
            if terms.is_empty() {
                continue;
            }
            out.push(self.terms_index(kind));
            out.extend(terms.iter().map(|t| self.term_page(kind, t)));
        }
        if !self.site.levels.is_empty() && !self.site.contexts.is_empty() {
            out.push(self.matrix());
        }
        out
    }

    fn terms_of(&self, kind: Kind) -> &[TermPages] {
        match kind {
            Kind::Level => &self.site.levels,
            Kind::Context => &self.site.contexts,
        }
    }

    fn cards(&self, from: &str, kind: Kind) -> Vec<TermCard> {
        self.terms_of(kind)
            .iter()
            .map(|t| TermCard {
                link: self.term_link(from, kind.folder(), &t.term),
                summary: t.term.summary.clone(),
                count: t.pages.len(),
            })
            .collect()
    }

    fn home(&self) -> Result<OutputFile, Diagnostic> {
        let path = "index.html";
        let home = self.site.home.as_ref();
        let decisions = (0..self.site.pages.len())
            .filter(|&i| self.site.pages[i].meta.decision.is_some())
            .map(|i| self.link(path, i, Vec::new()))
            .collect();
        let view = HomeView {
            chrome: self.chrome(path),
            title: home.map_or_else(|| self.book.title.clone(), |h| h.title.clone()),
            intro_html: home.map(|h| self.body_html(h, path)),
            levels: self.cards(path, Kind::Level),
            contexts: self.cards(path, Kind::Context),
            sections: if self.site.levels.is_empty() { self.sections(path) } else { Vec::new() },
            decisions,
            matrix_url: (!self.site.levels.is_empty() && !self.site.contexts.is_empty())
                .then(|| relative_url(path, paths::MATRIX)),
            contents_url: relative_url(path, paths::CONTENTS),
            next: (!self.site.pages.is_empty()).then(|| self.link(path, 0, Vec::new())),
        };
        let display = home.map_or("index.html", |h| h.source.display_path.as_str());
        self.render_template("home.html", path, display, &view)
    }

    fn sections(&self, from: &str) -> Vec<SectionView> {
        self.site
            .sections
            .iter()
            .map(|s| SectionView {
                title: s.title.clone(),
                pages: s.pages.iter().map(|&i| self.link(from, i, Vec::new())).collect(),
            })
            .collect()
    }

    fn contents(&self) -> Result<OutputFile, Diagnostic> {
        let path = paths::CONTENTS;
        let view = ContentsView { chrome: self.chrome(path), sections: self.sections(path) };
        self.render_template("contents.html", path, path, &view)
    }

    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let chrome = super::view::Chrome {
            book: self.book,
            root: self.config.build.site_url.clone(),
            path: paths::NOT_FOUND.to_string(),
        };
        self.render_template("404.html", paths::NOT_FOUND, paths::NOT_FOUND, &NotFoundView { chrome })
    }

    fn terms_index(&self, kind: Kind) -> Result<OutputFile, Diagnostic> {
        let path = format!("{}/index.html", kind.folder());
        let (title, intro) = match kind {
            Kind::Level => ("Levels", "Every page sits at one or more levels of product work."),
            Kind::Context => ("Contexts", "The situations pages apply to."),
        };
        let view = TermsView { chrome: self.chrome(&path), title, intro, terms: self.cards(&path, kind) };
        self.render_template("terms.html", &path, &path, &view)
    }

    /// A level's page lists its pages with their contexts, and the other way
    /// round, so a reader sees where each page applies.
    fn term_page(&self, kind: Kind, term: &TermPages) -> Result<OutputFile, Diagnostic> {
        let path = paths::term_page(kind.folder(), &term.term.id);
        let pages = term
            .pages
            .iter()
            .map(|&i| {
                let meta = &self.site.pages[i].meta;
                let facets = match kind {
                    Kind::Level => names(&self.config.playbook.contexts, meta.contexts.iter().map(|c| c.as_str())),
                    Kind::Context => names(&self.config.playbook.levels, meta.levels.iter().map(|l| l.as_str())),
                };
                self.link(&path, i, facets)
            })
            .collect();
        let siblings = self.terms_of(kind).iter().map(|t| self.term_link(&path, kind.folder(), &t.term)).collect();
        let index_url = relative_url(&path, &format!("{}/index.html", kind.folder()));
        let breadcrumbs = vec![
            Crumb { title: self.book.title.clone(), url: relative_url(&path, "index.html") },
            Crumb {
                title: match kind {
                    Kind::Level => "Levels".to_string(),
                    Kind::Context => "Contexts".to_string(),
                },
                url: index_url.clone(),
            },
        ];
        let view = TermView {
            chrome: self.chrome(&path),
            breadcrumbs,
            kind: match kind {
                Kind::Level => "Level",
                Kind::Context => "Context",
            },
            name: term.term.name.clone(),
            summary: term.term.summary.clone(),
            pages,
            siblings,
            index_url,
        };
        self.render_template("term.html", &path, crate::config::CONFIG_FILE, &view)
    }

    fn matrix(&self) -> Result<OutputFile, Diagnostic> {
        let path = paths::MATRIX;
        let contexts: Vec<_> =
            self.site.contexts.iter().map(|c| self.term_link(path, paths::CONTEXTS, &c.term)).collect();
        let rows = self
            .site
            .levels
            .iter()
            .zip(&self.site.matrix)
            .map(|(level, cells)| MatrixRow {
                level: self.term_link(path, paths::LEVELS, &level.term),
                cells: cells
                    .iter()
                    .zip(&self.site.contexts)
                    .map(|(pages, context)| MatrixCell {
                        context: context.term.name.clone(),
                        pages: pages.iter().map(|&i| self.link(path, i, Vec::new())).collect::<Vec<PageLink>>(),
                    })
                    .collect(),
            })
            .collect();
        self.render_template(
            "matrix.html",
            path,
            crate::config::CONFIG_FILE,
            &MatrixView { chrome: self.chrome(path), contexts, rows },
        )
    }

    /// The navigation, once for the whole site: pages load it and draw the
    /// sidebar from it, with links made relative in the browser.
    pub(super) fn nav_script(&self) -> OutputFile {
        let sections: Vec<NavSection> = self
            .site
            .sections
            .iter()
            .map(|s| NavSection {
                title: s.title.clone(),
                pages: s
                    .pages
                    .iter()
                    .map(|&i| NavPage {
                        title: self.site.pages[i].title.clone(),
                        path: self.site.pages[i].slug.output_path(),
                        contexts: self.site.pages[i].meta.contexts.iter().map(|c| c.as_str().to_string()).collect(),
                    })
                    .collect(),
            })
            .collect();
        let contexts = self
            .config
            .playbook
            .contexts
            .iter()
            .map(|c| NavContext { id: c.id.clone(), name: c.name.clone() })
            .collect();
        let json = serde_json::to_string(&NavData { sections, contexts }).expect("navigation views always serialize");
        OutputFile::bytes(paths::NAV_SCRIPT, format!("window.playbookNav = {json};\n"))
    }
}

/// The names of `ids` in the vocabulary's order.
fn names<'a>(terms: &[Term], ids: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
    terms.iter().filter(|t| ids.clone().any(|id| id == t.id)).map(|t| t.name.clone()).collect()
}
