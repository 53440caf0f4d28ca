//! `mdmigrate convert [FILE|-]`: one post to stdout.

use super::advice::with_hint;
use super::args::ConvertArgs;
use super::input::Input;
use super::output::{self, Exit};
use super::settings::{self, Command};
use mdmigrate::assets::{CachePolicy, rewrite_url};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::config::Config;
use mdmigrate::convert::ImageMap;
use mdmigrate::post::{PostOptions, body_kind_for, convert_bytes};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: ConvertArgs) -> Exit {
    let input = match input(&args) {
        Ok(i) => i,
        Err(exit) => return exit,
    };
    let layer = settings::common_layer(&args.common);
    let config =
        match settings::resolve(&args.common, layer, input.config_start(), Command::Convert) {
            Ok(c) => c,
            Err(e) => return output::fail(e),
        };
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let options = match post_options(&config, input.path(), args.common.verbose) {
        Ok(o) => o,
        Err(e) => return output::fail(e),
    };
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => return output::fail(format!("{}: cannot read: {e}", input.name())),
    };
    let post = match convert_bytes(&bytes, &options) {
        Ok(post) => post,
        Err(e) => return output::fail(with_hint(format!("{}: {e}", input.name()))),
    };
    if args.common.verbose {
        for d in &post.diagnostics {
            output::note(format!("{}: {}: {}", input.name(), d.code, d.message));
        }
    }
    output::print_or_fail(&post.text)
}

/// The file named, or stdin; with nothing named and stdin a terminal,
/// nothing would ever come: print the usage and exit 2, as a usage error.
fn input(args: &ConvertArgs) -> Result<Input, Exit> {
    match args.file.as_deref() {
        Some(path) if !Input::is_stdin(path) => {
            if args.stdin_filename.is_some() {
                return Err(output::fail(
                    "--stdin-filename names stdin: give `-` instead of a FILE",
                ));
            }
            Ok(Input::File(path.to_owned()))
        }
        None if std::io::stdin().is_terminal() => {
            output::error("no input: name a FILE, or `-` to read stdin");
            output::usage("convert");
            Err(Exit::Error)
        }
        _ => Ok(Input::Stdin(args.stdin_filename.clone())),
    }
}

/// The post options, with image rewrite rules (they need no network, so
/// `convert` applies them; downloads are `migrate`'s).
fn post_options(
    config: &Config,
    path: Option<&Path>,
    verbose: bool,
) -> Result<PostOptions, String> {
    let mut options = config.post_options();
    if let ImagePlan::Rewrite(rules) =
        config.image_plan(Path::new("."), &[], CachePolicy::Offline)?
    {
        options.convert.images = Some(ImageMap(std::sync::Arc::new(move |url| {
            rewrite_url(url, &rules)
        })));
    }
    options.body = body_kind_for(options.body, path);
    if let Some(path) = path {
        source_site(config, path, &mut options, verbose).map_err(|e| e.to_string())?;
    }
    Ok(options)
}

/// What the file's source site says (old URL, Liquid, Hexo's video tags),
/// as `migrate` reads it, with the new site taken to be served at `/`.
/// For stdin, the site of `--stdin-filename`.
fn source_site(
    config: &Config,
    file: &Path,
    options: &mut PostOptions,
    verbose: bool,
) -> Result<(), mdmigrate::site::SiteError> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let old = config.old_permalink.as_ref();
    let setup = mdmigrate::site::discover(dir, None, old, config.site_syntax())?;
    options.convert.embeds = config.embeds(setup.hexo_tag_embed);
    options.source_site = Some(std::sync::Arc::new(setup.context));
    options.source_rel = file.file_name().map(|n| n.to_string_lossy().into_owned());
    if verbose {
        for note in &setup.notes {
            output::note(note);
        }
    }
    Ok(())
}
