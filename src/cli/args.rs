//! Raw command-line flags, as clap parses them. Each command resolves them
//! once, with the config file, into library settings (`settings.rs`).

use clap::{Args, Parser, Subcommand};
use mdmigrate::config::{EncodingName, FormatName, ImageLayout, ImageMode, TargetName};
use mdmigrate::lower::ProjectLinks;
use mdmigrate::post::{BodyKind, Eol};
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
    /// Read settings from this file instead of the nearest mdmigrate.toml.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Print the effective settings (defaults < file < flags) and exit.
    #[arg(long, global = true)]
    pub dump_config: bool,
    /// Front matter: keep it as it is, or normalize it for a site generator.
    #[arg(long, value_enum)]
    pub target: Option<TargetName>,
    /// Front matter syntax for targets that accept both (Zola is always TOML).
    #[arg(long, value_enum)]
    pub front_matter: Option<FormatName>,
    /// How 36kr `a.project-link` anchors are written.
    #[arg(long, value_enum)]
    pub project_links: Option<ProjectLinks>,
    /// What to do with images.
    #[arg(long, value_enum)]
    pub images: Option<ImageMode>,
    /// Whether the body is HTML or Markdown (auto: HTML when it starts with an HTML block).
    #[arg(long, value_enum)]
    pub body: Option<BodyKind>,
    /// Input encoding (utf8: invalid bytes are an error naming the offset).
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingName>,
    /// Output line endings.
    #[arg(long, value_enum)]
    pub eol: Option<Eol>,
    /// Image captions: an italic line under the image that also names it (default), or plain text.
    #[arg(long, value_enum)]
    pub captions: Option<mdmigrate::lower::Captions>,
    /// Drop the first body image that repeats the front matter's cover.
    #[arg(long)]
    pub drop_cover_duplicate: bool,
    /// Largest input accepted, in bytes (default 16 MiB).
    #[arg(long)]
    pub max_size: Option<usize>,
    /// Deepest element nesting kept; deeper tags are flattened (default 512).
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// Print less (errors only).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more (every file and its diagnostics).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour on stderr.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorChoice,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The post or HTML file to convert; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Settings of whole-archive runs.
#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Files to leave out (glob, relative to the root; repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Write files even when the round-trip check finds lost content.
    #[arg(long)]
    pub allow_lossy: bool,
}

/// Image settings of `migrate` (see also `[images]` in mdmigrate.toml).
#[derive(Args, Debug, Clone, Default)]
pub struct ImageArgs {
    /// Where downloaded images are stored, relative to --out (default `images`).
    #[arg(long)]
    pub assets_dir: Option<String>,
    /// Root-relative URL prefix for stored images, e.g. /images (default: relative to each post).
    #[arg(long)]
    pub assets_url: Option<String>,
    /// Downloaded images in one shared store (default), or in a folder per post
    /// (bundle: the target's own convention; see README).
    #[arg(long, value_enum)]
    pub image_layout: Option<ImageLayout>,
    /// Mirror tried when an image's own URL fails: {url} or {path} (repeatable).
    #[arg(long = "image-mirror")]
    pub mirrors: Vec<String>,
    /// Rewrite rule FROM=TO for --images rewrite, e.g. 'https://img.36krcdn.com/{path}=/images/{path}' (repeatable).
    #[arg(long = "image-rewrite")]
    pub rewrite: Vec<String>,
    /// Allow one host (HOST or HOST:PORT) even when it resolves to a private address.
    #[arg(long = "allow-host")]
    pub allow_hosts: Vec<String>,
    /// Pin HOST:PORT to ADDR, as curl does (and allow it).
    #[arg(long)]
    pub resolve: Vec<String>,
    /// Accept SVG images.
    #[arg(long)]
    pub allow_svg: bool,
    /// Retries per image on connect errors, timeouts, 408/429/5xx (default 3).
    #[arg(long)]
    pub image_retries: Option<u32>,
    /// Images downloaded at once (default 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub image_concurrency: Option<u32>,
    /// Downloads from one host at once (default: the whole --image-concurrency; lower it to
    /// be polite to a small server).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub per_host: Option<u32>,
    /// Seconds to wait for a connection, and then for a response to start (default 10 and 30).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u32).range(1..=600))]
    pub image_timeout: Option<u32>,
    /// Use only images already stored; list what is missing.
    #[arg(long, conflicts_with = "refresh")]
    pub offline: bool,
    /// Download again even what is already stored.
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
    /// The archive to migrate (never modified; --out must not be SRC or reach it through a link).
    pub src: PathBuf,
    /// Where the converted archive is written (inside SRC: left out of what is read).
    #[arg(long)]
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
    /// Also write a report: FILE.json (ledger) or FILE.html (page).
    #[arg(long)]
    pub report: Vec<PathBuf>,
    /// Files to include (glob; default **/*.md, **/*.html, **/*.htm).
    #[arg(long)]
    pub include: Vec<String>,
    /// Skip posts already written by an earlier run with the same input, settings and version.
    #[arg(long)]
    pub resume: bool,
    /// The site's root, where shortcode templates are written (default: --out).
    #[arg(long)]
    pub site_root: Option<PathBuf>,
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
    /// Files or folders to normalize (folders are searched for posts).
    pub paths: Vec<PathBuf>,
    /// Write nothing; exit 1 listing files that would change.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff (apply with `patch -p0`); exit 1 if any.
    /// With --check too: the diff on stdout, the list on stderr.
    #[arg(long)]
    pub diff: bool,
    /// Read more paths from this file, one per line (`-`: stdin).
    #[arg(long)]
    pub files_from: Option<PathBuf>,
    /// Apply the config's excludes even to files named on the command line.
    #[arg(long)]
    pub force_exclude: bool,
    /// Also write a report: FILE.json (ledger) or FILE.html (page).
    #[arg(long)]
    pub report: Vec<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub common: Common,
}
