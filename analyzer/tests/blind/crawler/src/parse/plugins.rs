use std::collections::{HashMap, HashSet};

use super::extract::{ExtractError, Extraction, Extractor, ExtractorRegistry};
use crate::fetch::FetchedPage;

/// Finds `needle` (lower-case ASCII) in `lowered`, starting at `from`.
fn find_from(lowered: &str, needle: &str, from: usize) -> Option<usize> {
    lowered.get(from..)?.find(needle).map(|i| i + from)
}

/// Reads a quoted attribute value starting at `at` (pointing at the quote).
fn quoted(body: &str, at: usize) -> Option<(&str, usize)> {
    let quote = body[at..].chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let start = at + 1;
    let len = body[start..].find(|c| c == quote || c == '>' || c == '<')?;
    if body[start + len..].starts_with(quote) {
        Some((&body[start..start + len], start + len + 1))
    } else {
        None
    }
}

pub struct LinkExtractor {
    max_links: usize,
}

impl Extractor for LinkExtractor {
    fn name(&self) -> &str {
        "links"
    }

    fn extract(&self, page: &FetchedPage, out: &mut Extraction) -> Result<(), ExtractError> {
        let lowered = page.body.to_ascii_lowercase();
        let mut pos = 0;
        while let Some(at) = find_from(&lowered, "<a ", pos) {
            pos = at + 3;
            let Some(href) = find_from(&lowered, "href=", pos) else {
                break;
            };
            let tag_end = find_from(&lowered, ">", pos).unwrap_or(lowered.len());
            if href > tag_end {
                continue;
            }
            match quoted(&page.body, href + 5) {
                Some((value, next)) => {
                    pos = next;
                    if !value.is_empty() && out.links.len() < self.max_links {
                        out.links.push(value.to_string());
                    }
                }
                None => pos = href + 5,
            }
        }
        Ok(())
    }
}

pub struct TitleExtractor;

impl Extractor for TitleExtractor {
    fn name(&self) -> &str {
        "title"
    }

    fn extract(&self, page: &FetchedPage, out: &mut Extraction) -> Result<(), ExtractError> {
        let lowered = page.body.to_ascii_lowercase();
        let Some(open) = lowered.find("<title>") else {
            return Ok(());
        };
        let start = open + "<title>".len();
        match find_from(&lowered, "</title>", start) {
            Some(end) => {
                let title = page.body[start..end].trim();
                if !title.is_empty() {
                    out.title = Some(title.to_string());
                }
                Ok(())
            }
            None => Err(ExtractError::Malformed("unterminated <title>".into())),
        }
    }
}

pub struct CanonicalExtractor;

impl Extractor for CanonicalExtractor {
    fn name(&self) -> &str {
        "canonical"
    }

    fn extract(&self, page: &FetchedPage, out: &mut Extraction) -> Result<(), ExtractError> {
        let lowered = page.body.to_ascii_lowercase();
        let Some(rel) = lowered.find("rel=\"canonical\"") else {
            return Ok(());
        };
        let tag_start = lowered[..rel].rfind('<').unwrap_or(0);
        let tag_end = find_from(&lowered, ">", rel).unwrap_or(lowered.len());
        let Some(href) = find_from(&lowered, "href=", tag_start).filter(|h| *h < tag_end) else {
            return Err(ExtractError::Malformed("canonical link without href".into()));
        };
        match quoted(&page.body, href + 5) {
            Some((value, _)) => {
                out.canonical = Some(value.to_string());
                Ok(())
            }
            None => Err(ExtractError::Malformed("bad canonical href".into())),
        }
    }
}

pub trait Tokenizer: Send + Sync {
    fn tokens<'a>(&self, text: &'a str) -> Vec<&'a str>;
}

pub struct WordTokenizer {
    min_len: usize,
    stop: HashSet<&'static str>,
}

impl WordTokenizer {
    pub fn new(min_len: usize) -> WordTokenizer {
        WordTokenizer {
            min_len,
            stop: ["page", "site", "with"].into_iter().collect(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    fn tokens<'a>(&self, text: &'a str) -> Vec<&'a str> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= self.min_len && !self.stop.contains(w.to_ascii_lowercase().as_str()))
            .collect()
    }
}

pub struct KeywordExtractor<T: Tokenizer> {
    tokenizer: T,
    top: usize,
}

impl<T: Tokenizer> KeywordExtractor<T> {
    pub fn new(tokenizer: T, top: usize) -> Self {
        KeywordExtractor { tokenizer, top }
    }

    fn visible_text(body: &str) -> String {
        let mut text = String::with_capacity(body.len());
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    }
}

impl<T: Tokenizer> Extractor for KeywordExtractor<T> {
    fn name(&self) -> &str {
        "keywords"
    }

    fn accepts(&self, _content_type: &str) -> bool {
        true
    }

    fn extract(&self, page: &FetchedPage, out: &mut Extraction) -> Result<(), ExtractError> {
        if page.body.contains('\u{0}') {
            return Err(ExtractError::Fatal("tokenizer cannot handle binary payloads".into()));
        }
        let text = Self::visible_text(&page.body);
        let mut counts: HashMap<String, u32> = HashMap::new();
        for token in self.tokenizer.tokens(&text) {
            *counts.entry(token.to_ascii_lowercase()).or_insert(0) += 1;
        }
        let mut ranked: Vec<(String, u32)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(self.top);
        out.keywords = ranked;
        Ok(())
    }
}

pub fn default_registry(max_failures: u32) -> ExtractorRegistry {
    let registry = ExtractorRegistry::new(max_failures);
    registry.register(Box::new(TitleExtractor));
    registry.register(Box::new(CanonicalExtractor));
    registry.register(Box::new(LinkExtractor { max_links: 64 }));
    registry.register(Box::new(KeywordExtractor::new(WordTokenizer::new(4), 5)));
    registry
}
