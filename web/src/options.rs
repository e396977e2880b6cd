//! What the dashboard is told when it starts: from the page's query string
//! (`?phase6=<url>&certificate=<url>&claimed=<url>&lang=es|en`) or from a portal's
//! `mount(element, options)` call.

use crate::i18n::Lang;

/// Start-up options of one dashboard instance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// A Phase 6 file to fetch instead of showing the bundled sample.
    pub phase6_url: Option<String>,
    /// A certificate.json to fetch and verify.
    pub certificate_url: Option<String>,
    /// A pipeline p07_output.json to fetch and check.
    pub claimed_url: Option<String>,
    /// The interface language (Spanish when absent).
    pub lang: Option<Lang>,
}

impl MountOptions {
    /// Reads the options from a query string (with or without the leading `?`).
    /// Unknown keys are ignored; empty values count as absent; the first occurrence of
    /// a key wins.
    pub fn from_query(query: &str) -> MountOptions {
        let mut out = MountOptions::default();
        for (key, value) in query_pairs(query) {
            if value.is_empty() {
                continue;
            }
            let slot = match key.as_str() {
                "phase6" => &mut out.phase6_url,
                "certificate" => &mut out.certificate_url,
                "claimed" => &mut out.claimed_url,
                "lang" => {
                    if out.lang.is_none() {
                        out.lang = Lang::parse(&value);
                    }
                    continue;
                }
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        out
    }
}

/// Splits an `application/x-www-form-urlencoded` query into decoded pairs.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Percent-decoding with `+` as space; invalid escapes are kept as written and invalid
/// UTF-8 is replaced, never rejected.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_urls_and_the_language() {
        let o = MountOptions::from_query(
            "?phase6=%2Fdata%2Fp06.json&certificate=cert.json&claimed=https%3A%2F%2Fx.org%2Fp07.json&lang=en",
        );
        assert_eq!(o.phase6_url.as_deref(), Some("/data/p06.json"));
        assert_eq!(o.certificate_url.as_deref(), Some("cert.json"));
        assert_eq!(o.claimed_url.as_deref(), Some("https://x.org/p07.json"));
        assert_eq!(o.lang, Some(Lang::En));
    }

    #[test]
    fn ignores_unknown_empty_and_repeated_keys() {
        let o = MountOptions::from_query("x=1&phase6=&phase6=a.json&phase6=b.json&lang=fr&flag");
        assert_eq!(o.phase6_url.as_deref(), Some("a.json"));
        assert_eq!(o.lang, None);
        assert_eq!(MountOptions::from_query(""), MountOptions::default());
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode("a+b%20c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%C3%B1"), "ñ");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }
}
