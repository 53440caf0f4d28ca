//! Permalink patterns as Hexo and Jekyll write them
//! (`:year/:month/:day/:title/`), and their expansion for one post.
//!
//! A pattern is parsed once (unknown `:variables` are errors naming them)
//! and expanded per post from [`Facts`] the caller gathered. Jekyll's
//! named styles (`date`, `pretty`, `ordinal`, `none`) are spelled out. This
//! module knows no files and no front matter keys.

use jiff::civil::DateTime;

/// A parsed permalink pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Var(Var),
}

/// A pattern variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    Year,
    ShortYear,
    Month,
    IMonth,
    ShortMonth,
    LongMonth,
    Day,
    IDay,
    YDay,
    Hour,
    Minute,
    Second,
    Title,
    Slug,
    Name,
    PostTitle,
    Categories,
    Category,
    OutputExt,
    Id,
}

/// Variable names, longest first so that `:i_month` is not read as `:i`.
const VARS: &[(&str, Var)] = &[
    ("short_month", Var::ShortMonth),
    ("long_month", Var::LongMonth),
    ("short_year", Var::ShortYear),
    ("categories", Var::Categories),
    ("output_ext", Var::OutputExt),
    ("post_title", Var::PostTitle),
    ("category", Var::Category),
    ("i_month", Var::IMonth),
    ("minute", Var::Minute),
    ("second", Var::Second),
    ("month", Var::Month),
    ("title", Var::Title),
    ("i_day", Var::IDay),
    ("y_day", Var::YDay),
    ("year", Var::Year),
    ("hour", Var::Hour),
    ("slug", Var::Slug),
    ("name", Var::Name),
    ("day", Var::Day),
    ("id", Var::Id),
];

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("empty permalink pattern")]
    Empty,
    #[error("permalink pattern {pattern:?}: unknown variable `:{name}`")]
    UnknownVariable { pattern: String, name: String },
}

/// Why a pattern cannot be filled for one post.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("the post has no date for `:{0}`")]
    NoDate(&'static str),
    #[error("the post has nothing for `:{0}` (no file name, slug or id)")]
    Missing(&'static str),
}

/// What a post's URL is made of; the caller fills each per generator.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The post's date, as the old site saw it (local wall-clock time).
    pub date: Option<DateTime>,
    /// `:title`.
    pub title: String,
    /// `:slug`.
    pub slug: String,
    /// `:name` (Hexo: the file name without folders).
    pub name: String,
    /// `:post_title` (Hexo: the slugized title).
    pub post_title: String,
    /// `:categories` (Jekyll), already joined with `/`.
    pub categories: String,
    /// `:category` (Hexo), already joined with `/`.
    pub category: String,
    /// `:id`, when the post has one.
    pub id: Option<String>,
}

impl Pattern {
    /// Parses a pattern, or one of Jekyll's named styles.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let text = match text.trim() {
            "date" => "/:categories/:year/:month/:day/:title:output_ext",
            "pretty" => "/:categories/:year/:month/:day/:title/",
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
            "none" => "/:categories/:title:output_ext",
            other => other,
        };
        if text.is_empty() {
            return Err(PatternError::Empty);
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(':') {
            push_literal(&mut pieces, &rest[..at]);
            let after = &rest[at + 1..];
            let ident_len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(after.len());
            let ident = &after[..ident_len];
            let Some((name, var)) = VARS.iter().find(|(n, _)| ident.starts_with(n)) else {
                return Err(PatternError::UnknownVariable {
                    pattern: text.to_owned(),
                    name: ident.to_owned(),
                });
            };
            pieces.push(Piece::Var(*var));
            rest = &after[name.len()..];
        }
        push_literal(&mut pieces, rest);
        Ok(Pattern { pieces })
    }

    /// Whether URLs end in `/` (Jekyll's `pretty`): pages follow suit.
    pub fn is_pretty(&self) -> bool {
        matches!(self.pieces.last(), Some(Piece::Literal(t)) if t.ends_with('/'))
    }

    /// The URL path for a post: leading `/`, no doubled `/`. An error names
    /// what the post lacks (a date for `:year`, an id for `:id`).
    pub fn expand(&self, facts: &Facts) -> Result<String, ExpandError> {
        let mut out = String::from("/");
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Var(var) => out.push_str(&value(*var, facts)?),
            }
        }
        Ok(collapse_slashes(&out))
    }
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if !text.is_empty() {
        pieces.push(Piece::Literal(text.to_owned()));
    }
}

/// One variable's text for a post.
fn value(var: Var, facts: &Facts) -> Result<String, ExpandError> {
    let date = || facts.date.ok_or(ExpandError::NoDate(name_of(var)));
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month_name = |d: DateTime| MONTHS[(d.month() as usize).clamp(1, 12) - 1];
    Ok(match var {
        Var::Year => format!("{:04}", date()?.year()),
        Var::ShortYear => format!("{:02}", date()?.year().rem_euclid(100)),
        Var::Month => format!("{:02}", date()?.month()),
        Var::IMonth => date()?.month().to_string(),
        Var::ShortMonth => month_name(date()?)[..3].to_owned(),
        Var::LongMonth => month_name(date()?).to_owned(),
        Var::Day => format!("{:02}", date()?.day()),
        Var::IDay => date()?.day().to_string(),
        Var::YDay => format!("{:03}", date()?.day_of_year()),
        Var::Hour => format!("{:02}", date()?.hour()),
        Var::Minute => format!("{:02}", date()?.minute()),
        Var::Second => format!("{:02}", date()?.second()),
        Var::Title => required(var, &facts.title)?,
        Var::Slug => required(var, &facts.slug)?,
        Var::Name => required(var, &facts.name)?,
        Var::PostTitle => required(var, &facts.post_title)?,
        Var::Categories => facts.categories.clone(),
        Var::Category => facts.category.clone(),
        Var::OutputExt => ".html".to_owned(),
        Var::Id => required(var, facts.id.as_deref().unwrap_or_default())?,
    })
}

/// A name-like variable must not be empty (`/2020//` is no post's URL).
fn required(var: Var, text: &str) -> Result<String, ExpandError> {
    if text.is_empty() {
        Err(ExpandError::Missing(name_of(var)))
    } else {
        Ok(text.to_owned())
    }
}

fn name_of(var: Var) -> &'static str {
    VARS.iter()
        .find(|(_, v)| *v == var)
        .map_or("?", |(name, _)| name)
}

/// `//` runs become one `/` (an empty `:categories` leaves one).
fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

/// What Hexo reads from a post's path below `_posts` (no extension) with
/// its `new_post_name` pattern (`:year-:month-:day-:title.md`): the title
/// (the whole path when the pattern has none) and the date it names. A path
/// the pattern does not match is slugized whole (`a/b c` → `a-b-c`), as
/// Hexo does.
pub fn hexo_file_name(new_post_name: &str, path: &str) -> (String, Option<DateTime>) {
    let pattern = new_post_name
        .rsplit_once('.')
        .map_or(new_post_name, |(stem, _)| stem);
    let Some(captures) = file_name_regex(pattern).and_then(|re| {
        re.captures(path).map(|c| {
            let get = |name: &str| c.name(name).map(|m| m.as_str().to_owned());
            (get("title"), get("year"), get("month"), get("day"))
        })
    }) else {
        return (hexo_slugize(path), None);
    };
    let (title, year, month, day) = captures;
    let date = match (year, month, day) {
        (Some(y), Some(m), Some(d)) => jiff::civil::Date::new(
            y.parse().unwrap_or(0),
            m.parse().unwrap_or(0),
            d.parse().unwrap_or(0),
        )
        .ok()
        .map(|d| d.at(0, 0, 0, 0)),
        _ => None,
    };
    (title.unwrap_or_else(|| hexo_slugize(path)), date)
}

/// `new_post_name` as an anchored regex with named groups.
fn file_name_regex(pattern: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        re.push_str(&regex::escape(&rest[..at]));
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        re.push_str(match &after[..len] {
            "year" => r"(?P<year>\d{4})",
            "month" | "i_month" => r"(?P<month>\d{1,2})",
            "day" | "i_day" => r"(?P<day>\d{1,2})",
            "hash" => r"[0-9a-f]{12}",
            "title" => r"(?P<title>.+?)",
            _ => r".+?",
        });
        rest = &after[len..];
    }
    re.push_str(&regex::escape(rest));
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// Hexo's `slugize`: runs of white space and punctuation become one `-`,
/// trimmed at the ends; case is kept.
pub fn hexo_slugize(text: &str) -> String {
    slug_with(text, |c| {
        c.is_whitespace() || "~`!@#$%^&*()-_+=[]{}|\\;:\"'<>,.?/".contains(c)
    })
}

/// Jekyll's `slugify` in `pretty` mode (what `:title` uses): anything but
/// letters, digits and `._~!$&'()+,;=@` becomes `-`; `cased` keeps case.
pub fn jekyll_slugify(text: &str, cased: bool) -> String {
    let slug = slug_with(text, |c| {
        !(c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c))
    });
    if cased { slug } else { slug.to_lowercase() }
}

/// Jekyll's default `slugify` (what `:slug` uses): anything but letters and
/// digits becomes `-`, lower-cased.
pub fn jekyll_slug(text: &str) -> String {
    slug_with(text, |c| !c.is_alphanumeric()).to_lowercase()
}

fn slug_with(text: &str, is_separator: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_separator(c) {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            date: Some(jiff::civil::date(2010, 7, 1).at(9, 5, 0, 0)),
            title: "Hello-World".into(),
            slug: "hello-world".into(),
            name: "Hello-World".into(),
            post_title: "Hello-World".into(),
            categories: String::new(),
            category: "uncategorized".into(),
            id: None,
        }
    }

    #[test]
    fn hexo_default_pattern() {
        let p = Pattern::parse(":year/:month/:day/:title/").unwrap();
        assert_eq!(p.expand(&facts()).unwrap(), "/2010/07/01/Hello-World/");
    }

    #[test]
    fn jekyll_named_styles_and_empty_categories() {
        let p = Pattern::parse("date").unwrap();
        assert_eq!(p.expand(&facts()).unwrap(), "/2010/07/01/Hello-World.html");
        let p = Pattern::parse("/:categories/:i_month/:slug").unwrap();
        let mut f = facts();
        f.categories = "a/b".into();
        assert_eq!(p.expand(&f).unwrap(), "/a/b/7/hello-world");
    }

    #[test]
    fn unknown_variables_and_missing_facts_are_errors() {
        assert!(Pattern::parse("/:yearly/").is_ok());
        assert!(
            Pattern::parse("/:foo/")
                .unwrap_err()
                .to_string()
                .contains(":foo")
        );
        let p = Pattern::parse(":id/").unwrap();
        assert_eq!(p.expand(&facts()), Err(ExpandError::Missing("id")));
        let untitled = Facts {
            title: String::new(),
            ..facts()
        };
        let p = Pattern::parse(":year/:title/").unwrap();
        assert_eq!(p.expand(&untitled), Err(ExpandError::Missing("title")));
        let p = Pattern::parse(":year/:title/").unwrap();
        let no_date = Facts {
            date: None,
            ..facts()
        };
        assert_eq!(p.expand(&no_date), Err(ExpandError::NoDate("year")));
    }

    #[test]
    fn hexo_file_names_as_new_post_name_reads_them() {
        let dated = ":year-:month-:day-:title.md";
        let (title, date) = hexo_file_name(dated, "2019-03-04-no-date");
        assert_eq!(title, "no-date");
        assert_eq!(date, Some(jiff::civil::date(2019, 3, 4).at(0, 0, 0, 0)));
        assert_eq!(
            hexo_file_name(dated, "sub/2020-01-02-in-sub").0,
            "sub-2020-01-02-in-sub"
        );
        assert_eq!(hexo_file_name(dated, "plain name").0, "plain-name");
        assert_eq!(
            hexo_file_name(":title.md", "notes/Second Post").0,
            "notes/Second Post"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(hexo_slugize("Web Dev: Notes!"), "Web-Dev-Notes");
        assert_eq!(jekyll_slugify("My Post", true), "My-Post");
        assert_eq!(jekyll_slug("My Post.v2"), "my-post-v2");
    }
}
