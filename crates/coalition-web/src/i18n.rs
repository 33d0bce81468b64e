//! Every string a person reads, in English and French: the Fluent files in `locales/` are the
//! one place they live. The language comes from the `lang` cookie (the switch) or else from
//! `Accept-Language`; dates and numbers are written the way each language writes them. The
//! record's own texts (commitments, paragraphs) are never translated.

use std::sync::OnceLock;

use coalition_core::dates::{Day, Timestamp};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language offered, in the order the switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 tag (`<html lang>`, the cookie, the switch's link).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name for itself, as the switch shows it.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// A tag as the switch or a cookie sends it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best match for an `Accept-Language` header (quality values honoured), English
    /// when nothing matches.
    pub fn negotiate(accept: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("");
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_tag(tag)
                && quality > 0.0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Fr => include_str!("../locales/fr.ftl"),
        }
    }
}

/// The loaded bundles, one per language, parsed once.
fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| Lang::ALL.map(load));
    &bundles[usize::from(lang == Lang::Fr)]
}

fn load(lang: Lang) -> FluentBundle<FluentResource> {
    let resource =
        FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(resource, _)| resource);
    let tag = lang
        .tag()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Pages are plain HTML in one direction: no bidi isolation marks around arguments.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The message ids of a language's file, for the test that both files hold the same ones.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let resource =
        FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(resource, _)| resource);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// What a page writes with: its language's strings, dates and numbers.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

/// Marks a missing string so that a test finds it on the page.
pub const MISSING: &str = "⟦missing⟧";

impl Tr {
    /// A message without arguments.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with one argument.
    pub fn with(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    /// A message with a count (plural forms and the number written for the language).
    pub fn count(&self, id: &str, n: impl std::borrow::Borrow<usize>) -> String {
        let n = *n.borrow();
        let mut args = FluentArgs::new();
        args.set("n", FluentValue::from(n));
        args.set("shown", FluentValue::from(self.number(n as u64)));
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = bundle(self.lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("{MISSING}{id}");
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// A name from a closed set (`status-in-force`, `strength-guarantee` …), falling back to
    /// the name itself for values a coalition defined (its own categories).
    pub fn name(&self, family: &str, value: &str) -> String {
        let id = format!("{family}-{value}");
        let text = self.get(&id);
        if text.starts_with(MISSING) {
            value.to_owned()
        } else {
            text
        }
    }

    /// A number with the language's grouping: 10,000 / 10 000.
    pub fn number(&self, n: impl std::borrow::Borrow<u64>) -> String {
        let digits = n.borrow().to_string();
        let separator = match self.lang {
            Lang::En => ",",
            // French groups with a narrow no-break space.
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A day: 6 January 2026 / 6 janvier 2026.
    pub fn day(&self, day: &Day) -> String {
        let text = day.to_string();
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return text;
        };
        let month = self.get(&format!("month-{}", month.trim_start_matches('0')));
        let d = d.trim_start_matches('0');
        match self.lang {
            Lang::En => format!("{d} {month} {year}"),
            Lang::Fr if d == "1" => format!("1er {month} {year}"),
            Lang::Fr => format!("{d} {month} {year}"),
        }
    }

    /// A moment, in UTC: 20 November 2026, 03:40 UTC.
    pub fn time(&self, at: &Timestamp) -> String {
        let text = at.to_string();
        let clock = text.get(11..16).unwrap_or("");
        format!("{}, {clock} UTC", self.day(&at.day()))
    }

    /// A moment as a machine reads it (`<time datetime>`).
    pub fn iso(&self, at: &Timestamp) -> String {
        at.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_hold_the_same_messages() {
        let mut en = message_ids(Lang::En);
        let mut fr = message_ids(Lang::Fr);
        en.sort();
        fr.sort();
        let only_en: Vec<_> = en.iter().filter(|id| !fr.contains(id)).collect();
        let only_fr: Vec<_> = fr.iter().filter(|id| !en.contains(id)).collect();
        assert!(only_en.is_empty(), "missing in fr.ftl: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in en.ftl: {only_fr:?}");
        assert!(en.len() > 50, "{} messages", en.len());
    }

    #[test]
    fn the_language_is_negotiated_from_accept_language() {
        assert_eq!(Lang::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::negotiate("de-DE, en;q=0.5, fr;q=0.7"), Lang::Fr);
        assert_eq!(Lang::negotiate("de"), Lang::En);
        assert_eq!(Lang::negotiate("fr;q=0"), Lang::En);
    }

    #[test]
    fn numbers_and_dates_are_written_for_the_language() {
        let en = Tr { lang: Lang::En };
        let fr = Tr { lang: Lang::Fr };
        assert_eq!(en.number(10_000), "10,000");
        assert_eq!(fr.number(10_000), "10\u{202f}000");
        assert_eq!(en.number(26), "26");
        let day = Day::parse("2026-01-06").expect("a day");
        assert_eq!(en.day(&day), "6 January 2026");
        assert_eq!(fr.day(&day), "6 janvier 2026");
        let at = Timestamp::parse("2026-11-20T03:40:00Z").expect("a time");
        assert_eq!(fr.time(&at), "20 novembre 2026, 03:40 UTC");
    }
}
