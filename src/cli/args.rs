//! Raw command-line flags, as clap parses them. Each command resolves them
//! once, with the config file, into library settings (`settings.rs`).

use super::choices;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub const EXIT_CODES: &str = "Exit codes:\n  0  success, or nothing to do (with --check, --dry-run or --diff: nothing would change)\n  1  --check, --dry-run or --diff found files that would be written or changed\n  2  an error: usage, config, overlap of --out and SRC, or any file failed (the other files are still processed)\n  130  interrupted (Ctrl-C)";

#[derive(Parser, Debug)]
#[command(
    name = "mdmigrate",
    version,
    about = "Migrate blog posts whose bodies are scraped HTML into clean, verified Markdown",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert one post or HTML file and print it on stdout.
    #[command(after_help = EXIT_CODES)]
    Convert(ConvertArgs),
    /// Convert every post under SRC into DIR, mirroring paths and carrying every other file.
    #[command(after_help = EXIT_CODES)]
    Migrate(Box<MigrateArgs>),
    /// Normalize posts in place (offline); --check and --diff write nothing.
    #[command(after_help = EXIT_CODES)]
    Fmt(FmtArgs),
    /// Work with JSON ledgers written by --report.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Merge the ledgers of shards (migrate --shard K/N) into the report of one whole run.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' JSON ledgers.
    #[arg(required = true)]
    pub ledgers: Vec<PathBuf>,
    /// Where to write the merged report: FILE.json (ledger) or FILE.html (page); repeatable.
    #[arg(long, required = true)]
    pub out: Vec<PathBuf>,
}

/// Settings shared by every command; each overrides `mdmigrate.toml`.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Read settings from this file instead of the nearest mdmigrate.toml above the input.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the effective settings (defaults < file < flags) as TOML and exit.
    #[arg(long, global = true)]
    pub dump_config: bool,
    /// Front matter: kept as it is (default), or normalized for a site generator.
    #[arg(long, value_enum)]
    pub target: Option<choices::Target>,
    /// Front matter syntax for targets that accept both (default yaml; Zola is always TOML).
    #[arg(long, value_enum)]
    pub front_matter: Option<choices::FrontMatter>,
    /// How 36kr `a.project-link` anchors are written (default link).
    #[arg(long, value_enum)]
    pub project_links: Option<choices::ProjectLinks>,
    /// What happens to image references (default keep; download: `migrate` only).
    #[arg(long, value_enum)]
    pub images: Option<choices::Images>,
    /// How a post's body is read (default auto).
    #[arg(long, value_enum)]
    pub body: Option<choices::Body>,
    /// Input encoding (default utf8; `auto` reads GB18030 and other legacy files).
    #[arg(long, value_enum)]
    pub encoding: Option<choices::Encoding>,
    /// Output line endings (default lf).
    #[arg(long, value_enum)]
    pub eol: Option<choices::Eol>,
    /// Image captions (`figcaption`, 36kr `p.img-desc`; default italic).
    #[arg(long, value_enum)]
    pub captions: Option<choices::Captions>,
    /// Drop the first body image that repeats the front matter's cover.
    #[arg(long)]
    pub drop_cover_duplicate: bool,
    /// YouTube/Vimeo embeds: the target's shortcode where it has one (default), a link, or HTML.
    #[arg(long, value_enum)]
    pub embeds: Option<choices::Embeds>,
    /// The old site's permalink pattern (`:year/:month/:day/:title/`), when its _config.yml does not say it.
    #[arg(long, value_name = "PATTERN")]
    pub old_permalink: Option<String>,
    /// Largest input accepted, in bytes (default 16 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<usize>,
    /// Deepest element nesting kept; deeper tags are flattened, text kept (default 512).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,
    /// Print less: errors only (no summary, warnings or hints).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: every file with its status and each of its diagnostics, every failed image.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour the labels on stderr and a diff on stdout: on a terminal unless NO_COLOR is set
    /// (auto), always, or never.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorChoice,
}

/// `--color`, as git and ruff take it.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// on a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    /// always, also into a pipe or file
    Always,
    /// never
    Never,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The post or HTML file to convert; `-` reads stdin (as does no FILE, when stdin is not a
    /// terminal).
    pub file: Option<PathBuf>,
    /// The path stdin stands for: its mdmigrate.toml is used, its extension decides HTML or
    /// post, and messages name it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Settings of whole-archive runs.
#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Files to leave out (glob, relative to the folder searched; repeatable; added to the
    /// config's `exclude`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Write files even when the round-trip check finds lost content.
    #[arg(long)]
    pub allow_lossy: bool,
}

/// Image settings of `migrate` (see also `[images]` in mdmigrate.toml).
#[derive(Args, Debug, Clone, Default)]
pub struct ImageArgs {
    /// With --images download: where downloaded images are stored, relative to --out (default
    /// `images`; `.mdmigrate-images` with a per-post --image-layout).
    #[arg(long, value_name = "DIR")]
    pub assets_dir: Option<String>,
    /// With --images download and the shared layout: root-relative URL prefix for stored
    /// images, e.g. /images (default: paths relative to each post).
    #[arg(long, value_name = "URL")]
    pub assets_url: Option<String>,
    /// With --images download: downloaded images in one shared store (default), or in a
    /// folder per post.
    #[arg(long, value_enum)]
    pub image_layout: Option<choices::ImageLayout>,
    /// With --images download: a mirror tried when an image's own URL fails, naming {url} or
    /// {path} (repeatable).
    #[arg(long = "image-mirror", value_name = "TEMPLATE")]
    pub mirrors: Vec<String>,
    /// With --images rewrite: a rule FROM=TO, e.g.
    /// 'https://img.36krcdn.com/{path}=/images/{path}' (repeatable).
    #[arg(long = "image-rewrite", value_name = "FROM=TO")]
    pub rewrite: Vec<String>,
    /// With --images download: allow one host (HOST or HOST:PORT) even when it resolves to a
    /// private address (repeatable).
    #[arg(long = "allow-host", value_name = "HOST[:PORT]")]
    pub allow_hosts: Vec<String>,
    /// With --images download: pin HOST:PORT to ADDR, as curl does, and allow it (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<String>,
    /// With --images download: accept SVG images.
    #[arg(long)]
    pub allow_svg: bool,
    /// With --images download: retries per image on connect errors, timeouts, 408/429/5xx
    /// (default 3).
    #[arg(long, value_name = "N")]
    pub image_retries: Option<u32>,
    /// With --images download: images downloaded at once (default 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub image_concurrency: Option<u32>,
    /// With --images download: downloads from one host at once (default: the whole --image-concurrency; lower it to
    /// be polite to a small server).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub per_host: Option<u32>,
    /// With --images download: seconds to wait for a connection, and then for a response to start (default 10 and 30).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u32).range(1..=600))]
    pub image_timeout: Option<u32>,
    /// With --images download: use only images already stored; list what is missing.
    #[arg(long, conflicts_with = "refresh")]
    pub offline: bool,
    /// With --images download: download again even what is already stored.
    #[arg(long)]
    pub refresh: bool,
}

/// What `migrate` does with the files under SRC that are not posts.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OtherFiles {
    /// Copy each to the same relative path under --out (same bytes).
    #[default]
    Copy,
    /// Leave them out.
    Skip,
}

#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// The archive to migrate, never modified: a folder (--out must not be SRC or reach it
    /// through a link), or a WordPress, Blogger, RSS or Atom export file.
    pub src: PathBuf,
    /// Where the converted archive is written (inside SRC: left out of what is read).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write nothing, download nothing; compare with what is in --out and list the posts that
    /// would be written or changed: exit 0 when nothing would change, 1 when something would.
    #[arg(long)]
    pub dry_run: bool,
    /// Like --dry-run, printing a unified diff of every post that would change on stdout
    /// (with --dry-run too: the list goes to stderr).
    #[arg(long)]
    pub diff: bool,
    /// Files under SRC that are not posts (images, attachments, data): copied to the same
    /// path under --out (default), or skipped. Dot-files and dot-folders are always skipped.
    #[arg(long, value_enum, default_value = "copy")]
    pub other_files: OtherFiles,
    /// Also write a report: FILE.json (ledger) or FILE.html (page) (repeatable).
    #[arg(long, value_name = "FILE")]
    pub report: Vec<PathBuf>,
    /// Posts to convert (glob, relative to SRC; repeatable; default **/*.md, **/*.html,
    /// **/*.htm).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip posts already written by an earlier run with the same input, settings and version.
    #[arg(long)]
    pub resume: bool,
    /// The site's root, where shortcode templates are written (default: --out).
    #[arg(long, value_name = "DIR")]
    pub site_root: Option<PathBuf>,
    /// SRC is an export file of this kind (default: detected from its content).
    #[arg(long, value_parser = ["wxr", "blogger", "rss", "atom"])]
    pub source: Option<String>,
    /// Output path of each item of an export file: {slug} {type} {year} {month} {day} {date},
    /// e.g. '{year}/{month}/{slug}.md' (default: the target's convention).
    #[arg(long)]
    pub layout: Option<String>,
    /// Run only part K of N (K from 0) of the archive, chosen by each file's relative path:
    /// N processes with the same --out write together the tree one process writes.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<mdmigrate::batch::discover::Shard>,
    /// Run only the files of SRC listed in FILE (`-`: stdin), one per line, relative to SRC
    /// or starting with SRC/ (as `find SRC -type f` prints them).
    #[arg(long, value_name = "FILE|-")]
    pub files_from: Option<PathBuf>,
    #[command(flatten)]
    pub images: ImageArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or folders to normalize (folders are searched for posts; default `.`); `-` reads
    /// stdin and writes stdout.
    pub paths: Vec<PathBuf>,
    /// The path stdin (`-`) stands for: its mdmigrate.toml is used, --force-exclude applies
    /// the excludes to it, and messages and diffs name it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Write nothing; exit 1 listing files that would change.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff (apply with `patch -p0`); exit 1 if any.
    /// With --check too: the diff on stdout, the list on stderr.
    #[arg(long)]
    pub diff: bool,
    /// Read more paths from this file, one per line (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Apply the excludes even to files named on the command line (and to --stdin-filename),
    /// as pre-commit needs.
    #[arg(long)]
    pub force_exclude: bool,
    /// Also write a report: FILE.json (ledger) or FILE.html (page) (repeatable).
    #[arg(long, value_name = "FILE")]
    pub report: Vec<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub common: Common,
}
