//! Pages as the lists show them. The contents, the home page, each level's
//! and context's page and the matrix are runs of cards, one per page, each
//! rendered with the theme's `card.html`. A card depends only on its page's
//! card facts (title, path, summary, levels, contexts), on the list it is
//! drawn for and on the theme and `book.toml`; so `serve` keeps every card
//! it rendered, and a list of 10,000 pages of which one changed is joined
//! from 9,999 kept cards and one new one. This is Hugo's idea of a content
//! view (`.Render "li"`), cached.

use std::sync::{Arc, RwLock};

use super::{Kind, Renderer};
use crate::diag::Diagnostic;
use crate::hashing::FastMap;
use crate::page::ParsedPage;
use crate::site::paths;

/// The list a card is drawn for: it decides what the card shows and the
/// output file its link is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CardList {
    /// The groups of pages on the home page.
    Home,
    /// The contents page.
    Contents,
    /// A level's or context's page: the card shows the page's contexts or
    /// levels.
    Term(Kind, usize),
    /// A cell of the matrix: the card is a bare link.
    Matrix,
    /// A generated folder page (`Site::folders[i]`).
    Folder(usize),
}

impl CardList {
    /// What `card.html` sees as `list`.
    fn name(self) -> &'static str {
        match self {
            CardList::Home => "home",
            CardList::Contents => "contents",
            CardList::Term(Kind::Level, _) => "level",
            CardList::Term(Kind::Context, _) => "context",
            CardList::Matrix => "matrix",
            CardList::Folder(_) => "folder",
        }
    }
}

/// Cards kept from one render to the next, while the theme and `book.toml`
/// stand: by list and page card hash.
pub(crate) struct CardCache {
    keep: bool,
    kept: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    env: u64,
    cards: FastMap<(CardList, u64), Arc<str>>,
}

/// How many kept cards per page before the cache starts again: a page has
/// at most one card per list, and the lists are few, so more than this are
/// cards of pages since edited.
const KEPT_PER_PAGE: usize = 24;

impl CardCache {
    /// A cache that keeps cards between renders if `keep` (for `serve`);
    /// otherwise every card is rendered when its list is.
    pub(crate) fn new(keep: bool) -> Self {
        CardCache { keep, kept: RwLock::default() }
    }

    /// Starts a render with environment hash `env` over `pages` pages: the
    /// cards of another theme or configuration are dropped, and so are all
    /// of them once too many are kept.
    pub(crate) fn start(&self, env: u64, pages: usize) {
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        if kept.env != env || kept.cards.len() > KEPT_PER_PAGE * pages.max(64) {
            *kept = Kept { env, cards: FastMap::default() };
        }
    }
}

impl Renderer<'_> {
    /// The cards of `pages` for `list`, one per line: kept ones as they
    /// are, the others rendered with `card.html` (and kept, in `serve`).
    pub(super) fn cards_html<'p>(
        &self,
        list: CardList,
        pages: impl IntoIterator<Item = &'p ParsedPage>,
    ) -> Result<String, Diagnostic> {
        let cache = self.env.cards;
        let mut html = String::new();
        let mut fresh: Vec<((CardList, u64), Arc<str>)> = Vec::new();
        {
            let kept = cache.kept.read().unwrap_or_else(|e| e.into_inner());
            for page in pages {
                if !html.is_empty() {
                    html.push('\n');
                }
                match kept.cards.get(&(list, page.card_hash)) {
                    Some(card) => html.push_str(card),
                    None => {
                        let card: Arc<str> = self.render_card(list, page)?.trim().into();
                        html.push_str(&card);
                        if cache.keep {
                            fresh.push(((list, page.card_hash), card));
                        }
                    }
                }
            }
        }
        if !fresh.is_empty() {
            cache.kept.write().unwrap_or_else(|e| e.into_inner()).cards.extend(fresh);
        }
        Ok(html)
    }

    fn render_card(&self, list: CardList, page: &ParsedPage) -> Result<String, Diagnostic> {
        let from = match list {
            CardList::Home => paths::HOME.to_string(),
            CardList::Contents => paths::CONTENTS.to_string(),
            CardList::Term(kind, i) => paths::term_page(kind.folder(), super::term_id(self.env.config, kind, i)),
            CardList::Matrix => paths::MATRIX.to_string(),
            CardList::Folder(i) => self.analysis.site.folders[i].output_path(),
        };
        let facets = match list {
            CardList::Term(kind, _) => self.facets(kind, page),
            _ => Vec::new(),
        };
        let levels = match list {
            CardList::Term(Kind::Level, _) | CardList::Matrix => Vec::new(),
            _ => self.level_links(&from, page),
        };
        let view = super::view::CardView { list: list.name(), page: self.link(&from, page, facets), levels };
        self.render_fragment(super::theme::Template::Card, &from, &view)
    }
}
