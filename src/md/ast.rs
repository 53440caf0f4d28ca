//! The Markdown document model that lowering produces and the writer prints.
//!
//! Nodes carry meaning, never Markdown syntax: no escaping, no delimiters and
//! no spacing decisions live here. Only `md::writer` turns nodes into text.

/// A block-level node.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    /// Fenced code; `text` is byte-exact and has no trailing newline.
    Code {
        lang: Option<String>,
        text: String,
    },
    Quote(Vec<Block>),
    List(List),
    Rule,
    Table(Table),
    /// An HTML block kept verbatim because Markdown cannot say it.
    Html(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for an ordered list.
    pub start: Option<u64>,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// An inline node.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        href: String,
        title: Option<String>,
        children: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
        title: Option<String>,
    },
    HardBreak,
    /// An inline element Markdown cannot say (`sup`, `kbd`...): kept as a
    /// tag pair around converted children.
    Tag {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Inline>,
    },
    /// Inline HTML kept verbatim (e.g. a project link in `keep` mode).
    Html(String),
    /// A static-site shortcode; the writer spells it for the target.
    Shortcode {
        name: String,
        args: Vec<(String, String)>,
    },
    /// A media embed (`iframe`, `video`, `object`...): the target's video
    /// shortcode where asked and known, else a link that says what it is.
    Embed(Embed),
}

/// A video site whose players the targets have built-in shortcodes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoHost {
    YouTube,
    Vimeo,
}

impl VideoHost {
    /// The shortcode (Hugo) or tag (Hexo with hexo-tag-embed) name.
    pub fn shortcode(self) -> &'static str {
        match self {
            VideoHost::YouTube => "youtube",
            VideoHost::Vimeo => "vimeo",
        }
    }

    /// The player URL of video `id`, as the targets' shortcodes embed it.
    pub fn player_url(self, id: &str) -> String {
        match self {
            VideoHost::YouTube => format!("https://www.youtube.com/embed/{id}"),
            VideoHost::Vimeo => format!("https://player.vimeo.com/video/{id}"),
        }
    }

    /// The name a reader knows the site by.
    pub fn name(self) -> &'static str {
        match self {
            VideoHost::YouTube => "YouTube",
            VideoHost::Vimeo => "Vimeo",
        }
    }
}

/// An embed as lowering understood it; the writer picks the spelling.
#[derive(Debug, Clone, PartialEq)]
pub struct Embed {
    /// The embed's own URL (its `src`, `data`, `<source>` or Flash `movie`).
    pub url: String,
    /// What the link says: the element's `title`, or the provider and path.
    pub label: String,
    /// The video site and the video's id, when the URL is a known player.
    pub video: Option<(VideoHost, String)>,
    /// Written as the target's shortcode (when `video` is known), else a link.
    pub shortcode: bool,
}

impl Inline {
    /// The children of a container inline, if it is one.
    pub fn children(&self) -> Option<&Vec<Inline>> {
        match self {
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => Some(c),
            Inline::Link { children, .. } | Inline::Tag { children, .. } => Some(children),
            _ => None,
        }
    }

    pub fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => Some(c),
            Inline::Link { children, .. } | Inline::Tag { children, .. } => Some(children),
            _ => None,
        }
    }
}

/// A whole converted body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}
