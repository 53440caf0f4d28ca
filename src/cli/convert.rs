//! `mdmigrate convert [FILE|-]`: one post to stdout.

use super::args::ConvertArgs;
use super::output::{self, Exit};
use super::settings;
use mdmigrate::assets::{CachePolicy, rewrite_url};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::convert::ImageMap;
use mdmigrate::post::{body_kind_for, convert_bytes};
use std::io::Read;
use std::path::Path;

pub fn run(args: ConvertArgs) -> Exit {
    let file = args.file.as_deref().filter(|p| p != &Path::new("-"));
    let name = file.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let config = match settings::resolve(&args.common, file.unwrap_or(Path::new("."))) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let bytes = match read_input(file) {
        Ok(b) => b,
        Err(e) => return output::fail(format!("{name}: {e}")),
    };
    let mut options = config.post_options();
    // Rewrite rules need no network, so `convert` applies them too.
    if let Ok(ImagePlan::Rewrite(rules)) =
        config.image_plan(Path::new("."), &[], CachePolicy::Offline)
    {
        options.convert.images = Some(ImageMap(std::sync::Arc::new(move |url| {
            rewrite_url(url, &rules)
        })));
    }
    options.body = body_kind_for(options.body, file);
    if let Some(file) = file
        && let Err(e) = source_site(&config, file, &mut options, args.common.verbose)
    {
        return output::fail(e);
    }
    match convert_bytes(&bytes, &options) {
        Ok(post) => {
            if args.common.verbose {
                for d in &post.diagnostics {
                    output::warn(format!("{name}: {d}"));
                }
            }
            output::print_or_fail(&post.text)
        }
        Err(e) => output::fail(format!("{name}: {e}")),
    }
}

/// What the file's source site says (old URL, Liquid, Hexo's video tags),
/// as `migrate` reads it, with the new site taken to be served at `/`.
fn source_site(
    config: &mdmigrate::config::Config,
    file: &Path,
    options: &mut mdmigrate::post::PostOptions,
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

fn read_input(file: Option<&Path>) -> std::io::Result<Vec<u8>> {
    match file {
        Some(p) => std::fs::read(p),
        None => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}
