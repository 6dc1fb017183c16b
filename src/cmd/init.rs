//! `playbook init`: write a small playbook that builds, to start from.

use std::fs;
use std::path::Path;

use anyhow::Context as _;

use super::Status;
use crate::UsageError;
use crate::cli::InitArgs;
use crate::config::CONFIG_FILE;

/// The starter playbook, as (path, text). Kept as real files so they can be
/// read and edited as a playbook; a test builds them.
const STARTER: &[(&str, &str)] = &[
    (CONFIG_FILE, include_str!("starter/book.toml")),
    ("content/index.md", include_str!("starter/content/index.md")),
    ("content/diagnose.md", include_str!("starter/content/diagnose.md")),
    ("content/name-the-level.md", include_str!("starter/content/name-the-level.md")),
    ("content/tell-people-what-changed.md", include_str!("starter/content/tell-people-what-changed.md")),
    ("content/look-for-a-deeper-cause.md", include_str!("starter/content/look-for-a-deeper-cause.md")),
    (".gitignore", "/book\n"),
];

pub(super) fn run(args: &InitArgs) -> anyhow::Result<Status> {
    let dir = &args.dir;
    if dir.join(CONFIG_FILE).exists() {
        return Err(UsageError(format!(
            "`{}` already has a {CONFIG_FILE}; init writes new playbooks only",
            dir.display()
        ))
        .into());
    }
    if let Some((path, _)) = STARTER.iter().find(|(path, _)| dir.join(path).exists() && *path != ".gitignore") {
        return Err(UsageError(format!(
            "`{}` already exists; init does not overwrite files",
            dir.join(path).display()
        ))
        .into());
    }
    for (path, text) in STARTER {
        write_new(&dir.join(path), text)?;
    }
    eprintln!("created a playbook in `{}`\n  build it with: playbook build {}", dir.display(), dir.display());
    Ok(Status::Success)
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("failed to write `{}`", path.display()))
}
