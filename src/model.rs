//! Domain identifiers as newtypes, so a slug is never confused with a title or
//! a file path.

use std::fmt;

use serde::Serialize;

/// Where a page lives in the handbook: `problems/strategy` is written to
/// `problems/strategy/index.html`. The empty slug is the home page.
///
/// Construct with [`crate::slug::slug_from_path`] or
/// [`crate::slug::parse_slug`], which guarantee it is a safe relative path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub(crate) struct Slug(String);

impl Slug {
    /// Wraps a string already checked to be a safe slug.
    pub(crate) fn new_unchecked(s: String) -> Self {
        Slug(s)
    }

    /// Whether this is the home page.
    pub(crate) fn is_home(&self) -> bool {
        self.0.is_empty()
    }

    /// The slug as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The site-relative path of the page's HTML file.
    pub(crate) fn output_path(&self) -> String {
        if self.is_home() { "index.html".to_string() } else { format!("{}/index.html", self.0) }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared, not copied: pages and facts hold many clones of few ids.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(std::sync::Arc<str>);

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl $name {
            /// The id as written.
            pub(crate) fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id.into())
            }
        }
    };
}

id_type!(
    /// A level of product work declared in `book.toml` (`impact`).
    LevelId
);
id_type!(
    /// A context declared in `book.toml` (`platform`).
    ContextId
);
id_type!(
    /// A diagnostic question's id, unique across the playbook.
    QuestionId
);

/// Where an answer to a diagnostic question leads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Target {
    /// An outcome: the page with this slug.
    Page(Slug),
    /// Another question (`leads_to: "?id"`).
    Question(QuestionId),
}
