//! The pages playbook generates from the content model: the home page, the
//! full contents, one page per level and per context, the levels x contexts
//! matrix, `404.html`, and the shared navigation file; each built from its
//! facts alone.

use super::cards::CardList;
use super::facts::{HomeFacts, NavEntry, NavItem, PRINT_MAX_PAGES, PrintFacts, SectionFacts, TermFacts, Titled};
use super::search::{text_file, with_text};
use super::theme::Template;
use super::view::{
    ContentsView, DateView, FolderView, HomeView, HomeWalk, Link, MatrixCell, MatrixRow, MatrixView, NavContext,
    NavData, NavLevel, NavPage, NavSection, NotFoundView, PrintPageView, PrintView, SectionView, TermCard, TermView,
    TermsView,
};
use super::{Kind, OutputFile, Renderer};
use crate::config::{CONFIG_FILE, Term};
use crate::diag::Diagnostic;
use crate::page::ParsedPage;
use crate::search::DocText;
use crate::site::paths;
use crate::slug::relative_url;

impl Renderer<'_> {
    /// The cards of every level or context, with how many pages each has.
    fn cards(&self, from: &str, kind: Kind, counts: &[usize]) -> Vec<TermCard> {
        let playbook = &self.env.config.playbook;
        match kind {
            Kind::Level => playbook.levels.iter().zip(counts).map(|(t, &n)| self.card(from, kind, t, n)).collect(),
            Kind::Context => playbook.contexts.iter().zip(counts).map(|(t, &n)| self.card(from, kind, t, n)).collect(),
        }
    }

    fn card<I: AsRef<str>>(&self, from: &str, kind: Kind, term: &Term<I>, count: usize) -> TermCard {
        TermCard { link: self.term_link(from, kind.folder(), term), summary: term.summary.clone(), count }
    }

    /// The home page, and its text for search when `content/index.md`
    /// gives it one.
    pub(super) fn home(&self, facts: &HomeFacts<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let path = paths::HOME;
        let home = facts.home.map(|c| c.0);
        let playbook = &self.env.config.playbook;
        let (intro_html, text) = match home {
            Some(home) => {
                let (html, text) = self.body_and_text(home, facts.links.resolved, path)?;
                (Some(html), text)
            }
            None => (None, None),
        };
        let view = HomeView {
            chrome: self.chrome(path),
            title: home.map_or_else(|| self.env.config.book.title.clone(), |h| h.title.clone()),
            intro_html,
            levels: self.cards(path, Kind::Level, &facts.counts.0),
            contexts: self.cards(path, Kind::Context, &facts.counts.1),
            sections: self.sections(CardList::Home, &facts.sections)?,
            decisions: facts.decisions.iter().map(|c| self.link(path, c.0, Vec::new())).collect(),
            matrix_url: (!playbook.levels.is_empty() && !playbook.contexts.is_empty())
                .then(|| relative_url(path, paths::MATRIX)),
            contents_url: relative_url(path, paths::CONTENTS),
            next: facts.first.map(|c| self.link(path, c.0, Vec::new())),
            walk: facts.first_walk.as_ref().map(|(card, step)| {
                let page = self.link(path, card.0, Vec::new());
                let answers = (step.answers.iter().enumerate())
                    .map(|(i, (label, _))| Link { title: label.to_string(), url: format!("{}#walk={i}", page.url) })
                    .collect();
                HomeWalk { ask: step.ask.to_string(), help: step.help.map(str::to_string), answers, page }
            }),
            edit_url: home.and_then(|h| self.edit_url(h)),
            last_updated: facts.last_updated.map(DateView::of),
        };
        let display = home.map_or(paths::HOME, |h| h.source.display_path.as_str());
        let file = self.render_template(Template::Home, path, display, &view)?;
        Ok(with_text(file, text))
    }

    fn sections(&self, list: CardList, sections: &[SectionFacts<'_>]) -> Result<Vec<SectionView>, Diagnostic> {
        sections
            .iter()
            .map(|s| {
                Ok(SectionView {
                    title: s.title.to_string(),
                    count: s.pages.len(),
                    cards_html: self.cards_html(list, s.pages.iter().map(|c| c.0))?,
                })
            })
            .collect()
    }

    pub(super) fn contents(&self, sections: &[SectionFacts<'_>]) -> Result<OutputFile, Diagnostic> {
        let path = paths::CONTENTS;
        let view = ContentsView { chrome: self.chrome(path), sections: self.sections(CardList::Contents, sections)? };
        self.render_template(Template::Contents, path, path, &view)
    }

    pub(super) fn folder(&self, i: usize, facts: &SectionFacts<'_>) -> Result<OutputFile, Diagnostic> {
        let folder = &self.analysis.site.folders[i];
        let path = folder.output_path();
        let section = SectionView {
            title: String::new(),
            count: facts.pages.len(),
            cards_html: self.cards_html(CardList::Folder(i), facts.pages.iter().map(|c| c.0))?,
        };
        let view = FolderView { chrome: self.chrome(&path), title: &folder.title, sections: vec![section] };
        self.render_template(Template::Folder, &path, &path, &view)
    }

    pub(super) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let chrome = super::view::Chrome {
            book: &self.env.book,
            root: self.env.config.build.site_url.clone(),
            path: paths::NOT_FOUND.to_string(),
            canonical: None,
        };
        self.render_template(Template::NotFound, paths::NOT_FOUND, paths::NOT_FOUND, &NotFoundView { chrome })
    }

    pub(super) fn terms_index(&self, kind: Kind, counts: &[usize]) -> Result<OutputFile, Diagnostic> {
        let path = format!("{}/index.html", kind.folder());
        let (title, intro) = match kind {
            Kind::Level => ("Levels", "Every page sits at one or more levels of product work."),
            Kind::Context => ("Contexts", "The situations pages apply to."),
        };
        let view = TermsView { chrome: self.chrome(&path), title, intro, terms: self.cards(&path, kind, counts) };
        self.render_template(Template::Terms, &path, &path, &view)
    }

    /// A level's page lists its pages with their contexts, and the other way
    /// round, so a reader sees where each page applies.
    pub(super) fn term_page(
        &self,
        kind: Kind,
        index: usize,
        facts: &TermFacts<'_>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let playbook = &self.env.config.playbook;
        let (id, name, summary, glyph) = match kind {
            Kind::Level => {
                let t = &playbook.levels[index];
                (t.id.as_str(), &t.name, &t.summary, Some(t.mark.glyph.clone()))
            }
            Kind::Context => {
                let t = &playbook.contexts[index];
                (t.id.as_str(), &t.name, &t.summary, None)
            }
        };
        let path = paths::term_page(kind.folder(), id);
        let cards_html = self.cards_html(CardList::Term(kind, index), facts.pages.iter().map(|c| c.0))?;
        let siblings = match kind {
            Kind::Level => playbook.levels.iter().map(|t| self.term_link(&path, kind.folder(), t)).collect(),
            Kind::Context => playbook.contexts.iter().map(|t| self.term_link(&path, kind.folder(), t)).collect(),
        };
        let index_url = relative_url(&path, &format!("{}/index.html", kind.folder()));
        let kind_name = match kind {
            Kind::Level => "Level",
            Kind::Context => "Context",
        };
        let breadcrumbs = vec![
            Link { title: self.env.config.book.title.clone(), url: relative_url(&path, paths::HOME) },
            Link { title: format!("{kind_name}s"), url: index_url.clone() },
        ];
        let view = TermView {
            chrome: self.chrome(&path),
            breadcrumbs,
            kind: kind_name,
            id: id.to_string(),
            name: name.clone(),
            glyph,
            summary: summary.clone(),
            count: facts.pages.len(),
            cards_html,
            siblings,
            index_url,
        };
        let text = self.env.config.build.search.then(|| text_file(&path, &DocText::of_term(name, summary)));
        Ok(with_text(self.render_template(Template::Term, &path, CONFIG_FILE, &view)?, text))
    }

    /// The names of the other kind's terms a page has: its contexts on a
    /// level's page, its levels on a context's.
    pub(super) fn facets(&self, kind: Kind, page: &ParsedPage) -> Vec<String> {
        let playbook = &self.env.config.playbook;
        let meta = &page.meta;
        match kind {
            Kind::Level => {
                playbook.contexts.iter().filter(|t| meta.contexts.contains(&t.id)).map(|t| t.name.clone()).collect()
            }
            Kind::Context => {
                playbook.levels.iter().filter(|t| meta.levels.contains(&t.id)).map(|t| t.name.clone()).collect()
            }
        }
    }

    pub(super) fn matrix(&self, cells: &[Vec<Vec<Titled<'_>>>]) -> Result<OutputFile, Diagnostic> {
        let path = paths::MATRIX;
        let playbook = &self.env.config.playbook;
        let contexts: Vec<_> = playbook.contexts.iter().map(|c| self.term_link(path, paths::CONTEXTS, c)).collect();
        let fullest = cells.iter().flatten().map(Vec::len).max().unwrap_or(0).max(1);
        let rows = playbook
            .levels
            .iter()
            .zip(cells)
            .map(|(level, row)| {
                Ok(MatrixRow {
                    level: self.term_link(path, paths::LEVELS, level),
                    cells: row
                        .iter()
                        .zip(&playbook.contexts)
                        .map(|(pages, context)| {
                            Ok(MatrixCell {
                                context: context.name.clone(),
                                anchor: format!("cell-{}-{}", level.id.as_str(), context.id.as_str()),
                                count: pages.len(),
                                shade: (pages.len() * 4).div_ceil(fullest),
                                cards_html: self.cards_html(CardList::Matrix, pages.iter().map(|c| c.0))?,
                            })
                        })
                        .collect::<Result<_, Diagnostic>>()?,
                })
            })
            .collect::<Result<_, Diagnostic>>()?;
        let view = MatrixView { chrome: self.chrome(path), contexts, rows };
        self.render_template(Template::Matrix, path, CONFIG_FILE, &view)
    }

    /// The whole handbook as one document, to print; each page is a
    /// section whose links lead to the site's pages.
    pub(super) fn print(&self, facts: &PrintFacts<'_>) -> Result<OutputFile, Diagnostic> {
        let path = paths::PRINT;
        let (pages, too_many, intro_html) = match facts {
            PrintFacts::TooMany(count) => (Vec::new(), Some((*count, PRINT_MAX_PAGES)), None),
            PrintFacts::Pages(intro, pages) => {
                let pages = pages
                    .iter()
                    .enumerate()
                    .map(|(n, p)| {
                        let page = p.page.0;
                        Ok(PrintPageView {
                            // Numbered: `a/b` and `a-b` must not meet.
                            anchor: format!("page-{}-{}", n + 1, page.slug.as_str().replace('/', "-")),
                            title: page.title.clone(),
                            summary: page.summary.clone(),
                            levels: self.level_links(path, page),
                            body_html: self.body_html(page, p.links.resolved, path)?,
                        })
                    })
                    .collect::<Result<_, Diagnostic>>()?;
                let intro_html =
                    intro.as_ref().map(|(home, links)| self.body_html(home.0, links.resolved, path)).transpose()?;
                (pages, None, intro_html)
            }
        };
        let view = PrintView { chrome: self.chrome(path), intro_html, pages, too_many };
        self.render_template(Template::Print, path, CONFIG_FILE, &view)
    }

    /// The navigation, once for the whole site: pages load it and draw the
    /// sidebar from it, with links made relative in the browser.
    pub(super) fn nav_script(&self, sections: &[SectionFacts<'_, NavItem<'_>>]) -> OutputFile {
        let sections: Vec<NavSection> = sections
            .iter()
            .map(|s| NavSection {
                title: s.title,
                level: s.level.map(|i| {
                    let level = &self.env.config.playbook.levels[i];
                    NavLevel {
                        id: level.id.as_str(),
                        glyph: &level.mark.glyph,
                        path: paths::term_page(paths::LEVELS, level.id.as_str()),
                    }
                }),
                pages: (s.pages.iter())
                    .map(|item| match *item {
                        NavItem::Page { page: NavEntry(page, _), depth, label } => NavPage {
                            title: label.unwrap_or(&page.title),
                            path: Some(page.slug.output_path()),
                            contexts: &page.meta.contexts,
                            depth,
                        },
                        NavItem::Draft { title, depth } => NavPage { title, path: None, contexts: &[], depth },
                    })
                    .collect(),
            })
            .collect();
        let contexts = (self.env.config.playbook.contexts.iter())
            .map(|c| NavContext { id: c.id.as_str(), name: &c.name })
            .collect();
        let mut script = b"window.playbookNav = ".to_vec();
        serde_json::to_writer(&mut script, &NavData { sections, contexts }).expect("navigation views always serialize");
        script.extend_from_slice(b";\n");
        OutputFile::bytes(paths::NAV_SCRIPT, script)
    }
}
