//! `mdmigrate migrate SRC --out DIR`: a whole archive into a new tree.

use super::args::{MigrateArgs, OtherFiles};
use super::migrate_export::{Staged, stage_export};
use super::output::{self, Exit};
use super::settings::{self, Command};
use super::{batch_run, preflight};
use mdmigrate::batch::discover::{Archive, Filter, Selection, discover_archive, listed_rel};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::overlap::{self, Roots};
use mdmigrate::batch::references::References;
use mdmigrate::batch::write::{Guard, write_guarded};
use mdmigrate::batch::{Destination, Mode, Settings, carry, post_output_rel};
use mdmigrate::config::Config;
use mdmigrate::report::FileRecord;
use mdmigrate::report::stream::Reports;
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(args: MigrateArgs) -> Exit {
    let config = match resolve_config(&args) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let mode = settings::mode(args.dry_run, args.diff, &args.batch);
    let prepared = match prepare(&args, &config, mode) {
        Ok(p) => p,
        Err(e) => return output::fail(e),
    };
    let inputs = prepared.whole.posts.iter().chain(&prepared.whole.others);
    let guard = Guard::over(inputs.map(|j| j.input.as_path()))
        .within(prepared.roots.src.clone(), prepared.roots.out.clone());
    let reports = match batch_run::reports_for(&args.report) {
        Ok(r) => r,
        Err(e) => return output::fail(e),
    };
    let finished = migrate_all(&args, &prepared, &guard, &reports);
    if let Err(e) = print_outcome(&args, &prepared, &finished) {
        return output::fail(format!("writing stdout: {e}"));
    }
    let command = match mode {
        Mode::Write => "migrate",
        Mode::Check => "migrate --dry-run",
        Mode::Diff => "migrate --diff",
        Mode::CheckDiff => "migrate --dry-run --diff",
    };
    let report_exit = batch_run::write_reports(&args.report, command, &finished, &reports, &guard);
    let templates_exit = if mode.writes() {
        write_templates(&config, &prepared.site_root, &guard).max(write_site_config(
            &config,
            args.site_root.as_deref(),
            &guard,
        ))
    } else {
        Exit::Ok
    };
    let staging_exit = prepared.staged.as_ref().map_or(Exit::Ok, |s| s.exit);
    batch_run::exit_code(&finished, !mode.writes())
        .max(report_exit)
        .max(templates_exit)
        .max(staging_exit)
}

/// Carries the files that are not posts, then runs the posts' batch.
fn migrate_all(
    args: &MigrateArgs,
    prepared: &Prepared,
    guard: &Guard,
    reports: &Reports,
) -> batch_run::Finished {
    let Prepared {
        archive,
        whole,
        roots,
        settings,
        ..
    } = prepared;
    let carried = carry_files(args, archive, whole, settings, guard);
    let copied: &[_] = match args.other_files {
        OtherFiles::Copy => &whole.others,
        OtherFiles::Skip => &[],
    };
    let layout = settings.images.layout();
    let references = References::new(
        roots.src.clone(),
        (layout, settings.post.convert.site),
        &whole.posts,
        copied,
    );
    let dest = Destination::Mirror {
        out_dir: args.out.clone(),
        src_root: Some(args.src.clone()),
        guard: guard.clone(),
        references: Some(Arc::new(references)),
        peers: (archive.posts.len() != whole.posts.len()).then(|| Arc::new(whole.posts.clone())),
    };
    let mut finished =
        batch_run::execute(&archive.posts, &dest, settings, args.common.quiet, reports);
    finished.totals.hidden_skipped = archive.hidden;
    for file in &carried {
        finished.totals.add_file(file);
    }
    finished.files = carried
        .into_iter()
        .filter(|f| settings.keep_records || !args.report.is_empty() || f.status == "failed")
        .collect();
    finished
}

/// The diff or list on stdout, problems and the summary on stderr.
fn print_outcome(
    args: &MigrateArgs,
    prepared: &Prepared,
    finished: &batch_run::Finished,
) -> std::io::Result<()> {
    let mode = prepared.settings.mode;
    let changed = batch_run::changed(&prepared.archive.posts, finished);
    batch_run::print_changes(mode, finished, &changed)?;
    batch_run::print_problems(&finished.records, args.common.verbose, args.common.quiet);
    batch_run::print_file_problems(&finished.files);
    batch_run::print_failed_images(&finished.records, args.common.verbose, args.common.quiet);
    let verb = if mode.writes() {
        "written"
    } else {
        "would be written"
    };
    batch_run::print_summary(verb, &finished.totals, args.common.quiet);
    Ok(())
}

/// Defaults < config file < flags, with `migrate`'s own flags.
fn resolve_config(args: &MigrateArgs) -> Result<Config, String> {
    source_kind(&args.src)?;
    let layer = settings::migrate_layer(&args.common, &args.include, &args.batch, &args.images)?;
    let config = settings::resolve(&args.common, layer, &args.src, Command::Migrate)?;
    settings::check_migrate_flags(&config, args)?;
    Ok(config)
}

/// SRC must be a folder or an export file: a missing one is said so, and a
/// single post (`.md`, `.markdown`, `.html`, `.htm`) is pointed to
/// `convert`. Any other file is taken for an export (its reader says when
/// it is not one).
fn source_kind(src: &Path) -> Result<(), String> {
    let shown = src.display();
    match std::fs::metadata(src) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) if is_post_file(src) => Err(format!(
            "{shown}: is one post, not an archive folder; convert it with `mdmigrate convert {}` (prints Markdown on stdout), or give its folder",
            super::hints::shell_quote(&shown.to_string())
        )),
        // Any other file is an export (WordPress, Blogger, RSS, Atom),
        // detected and staged later.
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("{shown}: does not exist"))
        }
        Err(e) => Err(format!("{shown}: cannot read: {e}")),
    }
}

/// Whether a file's extension is one of a post's.
fn is_post_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["md", "markdown", "html", "htm"]
            .iter()
            .any(|p| e.eq_ignore_ascii_case(p))
    })
}

/// What a run needs once the preflight passed: the archive found, the
/// resolved roots and the batch settings.
struct Prepared {
    /// The part of the archive this process runs (all of it, unless
    /// `--shard` or `--files-from`).
    archive: Archive,
    /// The whole archive, for what depends on every file: references,
    /// output collisions, which carried file would land on a post.
    whole: Arc<Archive>,
    roots: Roots,
    settings: Settings,
    site_root: PathBuf,
    /// An export file's posts, staged (the folder lives as long as this).
    staged: Option<Staged>,
}

/// Preflight and discovery: every check that needs no post's contents,
/// before anything is written. Any error here exits 2 with nothing done.
fn prepare(args: &MigrateArgs, config: &Config, mode: Mode) -> Result<Prepared, String> {
    let cache = settings::cache_policy(&args.images);
    let images = config.image_plan(&args.out, &args.images.resolve, cache)?;
    let site_root = args.site_root.clone().unwrap_or_else(|| args.out.clone());
    let assets_dir = match &images {
        ImagePlan::Download { config, .. } => Some(config.assets_dir.clone()),
        _ => None,
    };
    // The site root only receives templates, checked one by one below.
    let written: Vec<(&str, &Path)> = assets_dir
        .iter()
        .map(|dir| ("--assets-dir", dir.as_path()))
        .collect();
    let roots = overlap::check(&args.src, &args.out, &written).map_err(|e| e.chain())?;
    preflight::reports(&args.report, &roots)?;
    preflight::mirrors(&config.images.mirrors)?;
    preflight::templates(&site_root, &template_paths(config), &roots)?;
    if mode.writes() {
        preflight::writable(&args.out, &roots)
            .map_err(|e| format!("{}: cannot write: {e}", args.out.display()))?;
        preflight::journal(&args.out)?;
    }
    let filter = Filter::new(&config.include, &config.exclude)?;
    let (whole, staged) = if args.src.is_file() {
        let mut staged = stage_export(args, config)?;
        let posts = std::mem::take(&mut staged.jobs);
        (Archive::of_posts(posts), Some(staged))
    } else {
        let left_out = roots.left_out.as_deref();
        (discover_archive(&args.src, &filter, left_out), None)
    };
    let selection = selection(args, &whole)?;
    if let Some(rel) = &roots.left_out {
        output::note(format!(
            "--out lies inside SRC: {rel}/ is left out of the posts and files read"
        ));
    }
    for s in &whole.skipped {
        output::warn(format!("{}: skipped: {}", s.path.display(), s.reason));
    }
    let layout = images.layout();
    nested_outputs(
        &whole,
        &roots,
        (layout, config.site_syntax()),
        args.other_files,
        assets_dir.as_deref(),
        &args.out,
    )?;
    let mut post =
        source_site(config, &args.src, &site_root, args.common.quiet).map_err(|e| e.to_string())?;
    post.convert.omits_raw_html =
        mdmigrate::site_templates::omits_raw_html(config.site_syntax(), args.site_root.as_deref());
    // The reports stream as posts finish; they keep no records.
    let keep = mode.diffs() || args.common.verbose;
    let settings = Settings {
        post,
        resume: args.resume,
        ..settings::batch(config, images, mode, &args.batch, keep)
    };
    Ok(Prepared {
        archive: whole.select(&selection),
        whole: Arc::new(whole),
        roots,
        settings,
        site_root,
        staged,
    })
}

/// The part of the archive `--shard` and `--files-from` pick; a listed
/// path that names no file of the archive is an error.
fn selection(args: &MigrateArgs, whole: &Archive) -> Result<Selection, String> {
    let listed = match &args.files_from {
        Some(list) => {
            let lines = read_lines(list).map_err(|e| format!("{}: {e}", list.display()))?;
            let listed: HashSet<String> = lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| listed_rel(l, &args.src))
                .collect();
            if let Some(first) = whole.unknown(&listed).first() {
                return Err(format!(
                    "{}: {first}: not a post or file of {} (missing, excluded or hidden)",
                    list.display(),
                    args.src.display()
                ));
            }
            Some(listed)
        }
        None => None,
    };
    Ok(Selection {
        shard: args.shard,
        listed,
    })
}

/// The lines of `list`, or of stdin for `-`.
fn read_lines(list: &Path) -> std::io::Result<Vec<String>> {
    if list == Path::new("-") {
        std::io::stdin().lock().lines().collect()
    } else {
        Ok(std::fs::read_to_string(list)?
            .lines()
            .map(str::to_owned)
            .collect())
    }
}

/// With SRC inside `--out`, no planned output may land on an input: no
/// post, no image folder of a post, no carried file, not the image store.
fn nested_outputs(
    archive: &Archive,
    roots: &Roots,
    (layout, site): (mdmigrate::assets::Layout, mdmigrate::md::writer::SiteSyntax),
    others: OtherFiles,
    assets_dir: Option<&Path>,
    out: &Path,
) -> Result<(), String> {
    let posts: Vec<String> = archive
        .posts
        .iter()
        .map(|p| post_output_rel(&p.rel, layout, site))
        .collect();
    let folders = posts
        .iter()
        .filter_map(|p| layout.folder(Path::new(p)))
        .map(|f| f.to_string_lossy().into_owned());
    let files = archive
        .others
        .iter()
        .filter(|_| others == OtherFiles::Copy)
        .map(|o| o.rel.clone());
    let assets = assets_dir
        .and_then(|d| d.strip_prefix(out).ok())
        .map(|d| d.to_string_lossy().into_owned());
    let mut planned = posts
        .iter()
        .cloned()
        .chain(folders)
        .chain(files)
        .chain(assets);
    match planned.find(|rel| roots.lands_on_input(rel)) {
        Some(rel) => Err(roots.refuse_nested(&rel).chain()),
        None => Ok(()),
    }
}

/// Plans the files that are not posts and, writing, copies them (before
/// the posts, so image names chosen for a post's folder see them).
fn carry_files(
    args: &MigrateArgs,
    archive: &Archive,
    whole: &Archive,
    settings: &Settings,
    guard: &Guard,
) -> Vec<FileRecord> {
    if args.other_files == OtherFiles::Skip {
        return Vec::new();
    }
    let (layout, site) = (settings.images.layout(), settings.post.convert.site);
    let posts_out: Vec<String> = whole
        .posts
        .iter()
        .map(|p| post_output_rel(&p.rel, layout, site))
        .collect();
    let plans = carry::plan(&archive.others, &args.out, &posts_out);
    carry::apply(&plans, settings.mode.writes(), guard)
}

/// The shortcode templates' paths under the site root.
fn template_paths(config: &Config) -> Vec<PathBuf> {
    let shortcodes = config.shortcodes();
    let refs: Vec<&mdmigrate::lower::site::Action> = shortcodes.iter().collect();
    let site = config.site_syntax();
    mdmigrate::site_templates::templates(site, &refs)
        .into_iter()
        .map(|(rel, _)| rel)
        .chain(mdmigrate::site_templates::site_config(site, None).map(|c| c.path))
        .collect()
}

/// Post options with what the source site says (old URLs, Liquid) and
/// whether the site can take Hexo's video tags; the findings are noted.
fn source_site(
    config: &Config,
    src: &std::path::Path,
    site_root: &std::path::Path,
    quiet: bool,
) -> Result<mdmigrate::post::PostOptions, mdmigrate::site::SiteError> {
    let old = config.old_permalink.as_ref();
    let setup = mdmigrate::site::discover(src, Some(site_root), old, config.site_syntax())?;
    let mut post = config.post_options();
    post.convert.embeds = config.embeds(setup.hexo_tag_embed);
    post.source_site = Some(std::sync::Arc::new(setup.context));
    let embeds = config.embeds_note(setup.hexo_tag_embed);
    if !quiet {
        for note in setup.notes.iter().chain(embeds.as_ref()) {
            output::note(note);
        }
    }
    Ok(post)
}

/// Writes the target's shortcode templates under the site root; an
/// existing file with other contents is left alone, with a warning.
fn write_templates(config: &Config, site_root: &Path, guard: &Guard) -> Exit {
    let shortcodes = config.shortcodes();
    let refs: Vec<&mdmigrate::lower::site::Action> = shortcodes.iter().collect();
    let mut exit = Exit::Ok;
    for (rel, text) in mdmigrate::site_templates::templates(config.site_syntax(), &refs) {
        let path = site_root.join(&rel);
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == text => continue,
            Ok(_) => {
                output::warn(format!(
                    "{}: exists with other contents; not overwritten",
                    path.display()
                ));
                continue;
            }
            Err(_) => {}
        }
        if let Err(e) = write_guarded(&path, text.as_bytes(), false, guard) {
            exit = exit.max(output::fail(format!("{}: {e}", path.display())));
        }
    }
    exit
}

/// Writes the config the target needs to show every post's content
/// (Hugo: `config/_default/markup.toml`) under `--site-root`, unless the
/// site's own config decides those settings or the file holds something
/// else; says which. Without `--site-root` (`--out` is then most often the
/// content folder) it says what the site needs.
fn write_site_config(config: &Config, site_root: Option<&Path>, guard: &Guard) -> Exit {
    let Some(site) = mdmigrate::site_templates::site_config(config.site_syntax(), site_root) else {
        return Exit::Ok;
    };
    let Some(site_root) = site_root else {
        output::note(format!(
            "Hugo omits the posts' inline HTML unless the site sets markup.goldmark.renderer.unsafe = true \
             (and typographer = false keeps quotes as written): --site-root SITE writes {}",
            site.path.display()
        ));
        return Exit::Ok;
    };
    let path = site_root.join(&site.path);
    if let Some(theirs) = &site.decided_by {
        output::warn(format!(
            "{} sets goldmark's `unsafe`/`typographer` itself, so {} was not written: \
             posts with inline HTML need markup.goldmark.renderer.unsafe = true",
            theirs.display(),
            path.display()
        ));
        return Exit::Ok;
    }
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == site.text => return Exit::Ok,
        Ok(_) => {
            output::warn(format!(
                "{}: exists with other contents; not overwritten (posts with inline HTML \
                 need markup.goldmark.renderer.unsafe = true)",
                path.display()
            ));
            return Exit::Ok;
        }
        Err(_) => {}
    }
    if let Err(e) = write_guarded(&path, site.text.as_bytes(), true, guard) {
        return output::fail(format!("{}: {e}", path.display()));
    }
    output::note(format!(
        "wrote {}: Hugo renders the posts' inline HTML (goldmark unsafe) and leaves quotes as written",
        path.display()
    ));
    Exit::Ok
}
