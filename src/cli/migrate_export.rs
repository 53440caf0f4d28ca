//! `migrate FILE`: an export file (WordPress, Blogger, RSS, Atom) staged
//! as posts, so the folder pipeline takes it. Prints what staging skipped,
//! renamed and could not read; the posts themselves go through the batch.

use super::args::MigrateArgs;
use super::output::{self, Exit};
use mdmigrate::batch::discover::Job;
use mdmigrate::config::Config;
use mdmigrate::diagnostic::Level;
use mdmigrate::export::layout::Layout;
use mdmigrate::export::stage::{StageOptions, stage};
use mdmigrate::export::{ReadOptions, SourceKind, read};
use mdmigrate::frontmatter::{FmFormat, Target};
use mdmigrate::post::FrontMatterMode;

/// Staged posts; the staging folder lives as long as this does.
pub struct Staged {
    _dir: tempfile::TempDir,
    pub jobs: Vec<Job>,
    /// `Exit::Error` when an item or the rest of the file was lost.
    pub exit: Exit,
}

/// Reads the export `args.src` into staged posts.
pub fn stage_export(args: &MigrateArgs, config: &Config) -> Result<Staged, String> {
    let post = config.post_options();
    let (target, format) = match post.front_matter {
        FrontMatterMode::Target(t, f) => (t, f),
        FrontMatterMode::Keep => (Target::Hexo, FmFormat::Yaml),
    };
    let source = match args.source.as_deref().map(str::parse::<SourceKind>) {
        Some(Ok(kind)) => Some(kind),
        Some(Err(e)) => return Err(e.to_string()),
        None => None,
    };
    let layout = Layout::new(args.layout.as_deref(), target).map_err(|e| e.to_string())?;
    let read_options = ReadOptions {
        source,
        max_size: post.convert.limits.max_bytes,
    };
    let export = read(&args.src, &read_options).map_err(|e| e.to_string())?;
    let dir = tempfile::Builder::new()
        .prefix(".mdmigrate-export-")
        .tempdir()
        .map_err(|e| format!("cannot create a staging folder: {e}"))?;
    let options = StageOptions {
        target,
        format,
        layout,
    };
    let staged = stage(export, &options, dir.path());
    let exit = report(
        &staged,
        &args.src.display().to_string(),
        args.common.verbose,
        args.common.quiet,
    );
    let jobs = staged
        .posts
        .into_iter()
        .map(|p| Job {
            input: p.input,
            rel: p.rel,
            notes: p.diagnostics,
        })
        .collect();
    Ok(Staged {
        _dir: dir,
        jobs,
        exit,
    })
}

/// Prints what staging found besides the posts.
fn report(
    staged: &mdmigrate::export::stage::Staged,
    src: &str,
    verbose: bool,
    quiet: bool,
) -> Exit {
    if quiet {
        return errors(staged);
    }
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for s in &staged.skipped {
        *kinds.entry(&s.kind).or_default() += 1;
        if verbose {
            output::note(format!(
                "{src}:{}: skipped {} {:?}",
                s.line, s.kind, s.title
            ));
        }
    }
    if !kinds.is_empty() {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        output::note(format!(
            "{src}: skipped (not posts or pages): {}",
            list.join(", ")
        ));
    }
    for r in &staged.renamed {
        output::warn(format!(
            "{src}:{}: the slug of {} is taken by an earlier item; written as {}",
            r.line, r.wanted, r.got
        ));
    }
    for p in &staged.posts {
        // Warnings on stderr too, with the export's line; every note
        // reaches the post's record (ledger, page) through its job.
        for d in p.diagnostics.iter().filter(|d| d.level == Level::Warning) {
            output::warn(format!("{src}:{}: {}: {d}", p.line, p.rel));
        }
    }
    errors(staged)
}

/// Items (or the rest of the file) that could not be read.
fn errors(staged: &mdmigrate::export::stage::Staged) -> Exit {
    let mut exit = Exit::Ok;
    for e in &staged.item_errors {
        exit = exit.max(output::fail(e));
    }
    if let Some(e) = &staged.fatal {
        exit = exit.max(output::fail(format!(
            "{e}; the {} items before it are migrated",
            staged.posts.len()
        )));
    }
    exit
}
