//! The command line's spelling of the library's enums. The library knows
//! nothing of clap; each flag's value is a mirror enum here, with its help
//! text, converted into the library's enum both ways (so a variant added
//! on either side fails to compile until the other has it).

/// Declares a `clap::ValueEnum` mirror of a library enum and its
/// conversions; the variants' doc comments become `--help`'s text.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $lib:path { $($(#[doc = $doc:literal])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[doc = $doc])* $variant),+
        }

        impl From<$name> for $lib {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => <$lib>::$variant),+
                }
            }
        }

        impl From<$lib> for $name {
            fn from(value: $lib) -> Self {
                match value {
                    $(<$lib>::$variant => $name::$variant),+
                }
            }
        }
    };
}

mirror! {
    /// `--target`.
    Target => mdmigrate::config::TargetName {
        /// front matter untouched
        Keep,
        /// Hexo: typed dates, list tags and categories, `cover`
        Hexo,
        /// Hugo: typed dates, list tags and categories, `images`
        Hugo,
        /// Jekyll: typed dates, list tags and categories, `image`
        Jekyll,
        /// Zola: TOML front matter, `extra.cover`
        Zola,
        /// plain normalized front matter for any other reader
        Plain,
    }
}

mirror! {
    /// `--front-matter`.
    FrontMatter => mdmigrate::config::FormatName {
        /// `---` YAML
        Yaml,
        /// `+++` TOML
        Toml,
    }
}

mirror! {
    /// `--encoding`.
    Encoding => mdmigrate::config::EncodingName {
        /// UTF-8; invalid bytes are an error naming the offset
        Utf8,
        /// GB18030 (a superset of GBK and GB2312)
        Gb18030,
        /// detected per file
        Auto,
    }
}

mirror! {
    /// `--images`.
    Images => mdmigrate::config::ImageMode {
        /// image references stay as they are
        Keep,
        /// rewritten by --image-rewrite rules (no network)
        Rewrite,
        /// migrate only: downloaded once and pointed at
        Download,
    }
}

mirror! {
    /// `--image-layout`.
    ImageLayout => mdmigrate::config::ImageLayout {
        /// every image once in the shared store
        Shared,
        /// the target's own per-post folder (see README)
        Bundle,
        /// `foo.md` becomes `foo/index.md`, images beside it (Hugo, Zola)
        PageBundle,
        /// images in `foo/` beside `foo.md`, as Hexo's post_asset_folder
        AssetFolder,
        /// images in `foo/` beside `foo.md`, referenced as `foo/name.jpg`
        PostFolder,
    }
}

mirror! {
    /// `--project-links`.
    ProjectLinks => mdmigrate::lower::ProjectLinks {
        /// a plain Markdown link
        Link,
        /// the anchor's text only
        Text,
        /// the anchor unchanged, as inline HTML
        Keep,
        /// a site shortcode (needs --target hugo, hexo, jekyll or zola)
        Shortcode,
    }
}

mirror! {
    /// `--captions`.
    Captions => mdmigrate::lower::Captions {
        /// an italic line under the image, also its alt text when it has none
        Italic,
        /// plain paragraphs where they stand
        Plain,
    }
}

mirror! {
    /// `--body`.
    Body => mdmigrate::post::BodyKind {
        /// HTML when the body starts with an HTML block, else Markdown
        Auto,
        /// always HTML
        Html,
        /// always Markdown (only its HTML blocks are converted)
        Markdown,
    }
}

mirror! {
    /// `--eol`.
    Eol => mdmigrate::post::Eol {
        /// `\n`
        Lf,
        /// `\r\n`
        Crlf,
    }
}

mirror! {
    /// `--embeds`.
    Embeds => mdmigrate::lower::media::Embeds {
        /// YouTube and Vimeo become the target's shortcode where it has one; the rest a link
        Shortcode,
        /// a link that says what it is
        Link,
        /// the element kept as HTML
        Html,
    }
}
