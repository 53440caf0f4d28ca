//! Raw command-line flags, as clap parses them. Resolved into library
//! options by each command, once.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mdmigrate::lower::ProjectLinks;
use mdmigrate::post::BodyKind;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "mdmigrate",
    version,
    about = "Migrate blog posts whose bodies are scraped HTML into clean, verified Markdown",
    after_help = "Exit codes: 0 success or nothing to do; 1 --check/--diff found changes; \
                  2 an error (usage, config, or any file failed)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert one post or HTML file and print Markdown on stdout.
    Convert(ConvertArgs),
}

/// What to do with images.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ImagesArg {
    /// References stay as they are.
    Keep,
}

#[derive(Args, Debug, Clone)]
pub struct ConvertOptions {
    /// How 36kr `a.project-link` anchors are written.
    #[arg(long, value_enum, default_value_t = ProjectLinks::Link)]
    pub project_links: ProjectLinks,
    /// What to do with images.
    #[arg(long, value_enum, default_value_t = ImagesArg::Keep)]
    pub images: ImagesArg,
    /// Whether the body is HTML or Markdown (auto: HTML when it starts with an HTML block).
    #[arg(long, value_enum, default_value_t = BodyKind::Auto)]
    pub body: BodyKind,
    /// Largest input accepted, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_size: usize,
    /// Deepest element nesting kept; deeper tags are flattened.
    #[arg(long, default_value_t = 512)]
    pub max_depth: usize,
    /// Do not print diagnostics on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The post or HTML file to convert; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub options: ConvertOptions,
}
