//! An mdBook, as playbook builds it: the keys of its `book.toml` that mean
//! what playbook's do ([`read_keys`]), its `SUMMARY.md` (`summary.rs`), and
//! its `{{#include}}` directive (`include.rs`). What playbook does not do
//! is said once, never an error: an mdBook builds as it is (issue 14).

pub(crate) mod include;
pub(crate) mod redirect;
pub(crate) mod summary;

use crate::config::Redirect;

/// What an mdBook's `book.toml` says that playbook reads, and the keys it
/// does not.
#[derive(Debug, Default)]
pub(crate) struct MdbookKeys {
    /// `[output.html] site-url`.
    pub(crate) site_url: Option<String>,
    /// `[output.html] edit-url-template`: its `{path}` counts from the
    /// book's folder (`src/intro.md`), as playbook's does.
    pub(crate) edit_url_template: Option<String>,
    /// `[output.html.redirect]`, sorted.
    pub(crate) redirects: Vec<Redirect>,
    /// Every other mdBook key, dotted (`output.html.additional-css`), sorted.
    pub(crate) ignored: Vec<String>,
}

/// Reads the mdBook keys of a `book.toml`: the names of those set in
/// `[book]` and `[build]` that playbook ignores, its `[output]` table, and
/// other whole tables (`[preprocessor]`, `[rust]`).
pub(crate) fn read_keys(
    book: &[&str],
    build: &[&str],
    output: Option<&toml::Table>,
    others: &[(&str, &toml::Value)],
) -> MdbookKeys {
    let mut keys = MdbookKeys::default();
    keys.ignored.extend(book.iter().map(|k| format!("book.{k}")));
    keys.ignored.extend(build.iter().map(|k| format!("build.{k}")));
    for (name, value) in others {
        leaves(name, value, &mut keys.ignored);
    }
    for (renderer, table) in output.into_iter().flatten() {
        let prefix = format!("output.{renderer}");
        let toml::Value::Table(table) = table else {
            keys.ignored.push(prefix);
            continue;
        };
        if table.is_empty() {
            keys.ignored.push(prefix.clone());
        }
        for (key, value) in table {
            match (renderer.as_str(), key.as_str(), value) {
                ("html", "site-url", toml::Value::String(url)) => keys.site_url = Some(url.clone()),
                ("html", "edit-url-template", toml::Value::String(url)) => {
                    keys.edit_url_template = Some(url.clone());
                }
                ("html", "redirect", toml::Value::Table(redirects)) => {
                    for (from, to) in redirects {
                        match to {
                            toml::Value::String(to) => keys
                                .redirects
                                .push(Redirect { from: from.trim_start_matches('/').to_string(), to: to.clone() }),
                            _ => keys.ignored.push(format!("{prefix}.redirect.{from}")),
                        }
                    }
                }
                _ => keys.ignored.push(format!("{prefix}.{key}")),
            }
        }
    }
    keys.redirects.sort_by(|a, b| a.from.cmp(&b.from));
    keys.ignored.sort();
    keys
}

/// The dotted names of `value`'s keys under `prefix`: a table's keys, one
/// level down (`output.html.playground`, not each of its keys).
fn leaves(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) if !table.is_empty() => out.extend(table.keys().map(|k| format!("{prefix}.{k}"))),
        _ => out.push(prefix.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_that_map_are_read_and_the_rest_listed() {
        let toml: toml::Table = toml::from_str(
            r#"
[html]
site-url = "/guide/"
edit-url-template = "https://github.com/o/r/edit/main/guide/{path}"
additional-css = ["x.css"]
[html.redirect]
"/old/page.html" = "../new/page.html"
"/gone.html" = "https://example.org/"
[html.playground]
editable = true
[linkcheck]
"#,
        )
        .unwrap();
        let keys = read_keys(&["multilingual"], &[], Some(&toml), &[]);
        assert_eq!(keys.site_url.as_deref(), Some("/guide/"));
        assert!(keys.edit_url_template.unwrap().ends_with("/guide/{path}"));
        assert_eq!(keys.redirects.iter().map(|r| r.from.as_str()).collect::<Vec<_>>(), ["gone.html", "old/page.html"]);
        assert_eq!(
            keys.ignored,
            ["book.multilingual", "output.html.additional-css", "output.html.playground", "output.linkcheck"]
        );
    }
}
