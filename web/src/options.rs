//! What the dashboard is told when it starts: from the page's query string
//! (`?phase6=<url>&certificate=<url>&claimed=<url>&lang=es|en`, and for the sensitivity
//! panel `whatif=w=…`, `seed=`, `draws=`, `weightRange=`) or from a portal's
//! `mount(element, options)` call.

use std::sync::Arc;

use crate::i18n::Lang;

/// The default time a fetch may take before it is cancelled (`FETCH_TIMEOUT`).
pub const DEFAULT_FETCH_TIMEOUT_MS: u32 = 30_000;

/// The longest fetch timeout a host may ask for (10 minutes).
pub const MAX_FETCH_TIMEOUT_MS: u32 = 600_000;

/// Where one file comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A URL to fetch (same origin unless the host allows more; see [`MountOptions`]).
    Url(String),
    /// The file's content, given by the host (a string or bytes), with a name to show.
    Contents {
        /// The name shown for it.
        name: String,
        /// Its bytes.
        bytes: Arc<[u8]>,
    },
    /// A `File` or `Blob` given by the host, read when the dashboard starts.
    Blob {
        /// The file's name, or a name to show for a Blob.
        name: String,
        /// The Blob.
        blob: web_sys::Blob,
    },
}

/// Start-up options of one dashboard instance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MountOptions {
    /// A Phase 6 file to evaluate instead of the bundled sample.
    pub phase6: Option<Source>,
    /// A certificate.json to verify.
    pub certificate: Option<Source>,
    /// A pipeline p07_output.json to check.
    pub claimed: Option<Source>,
    /// The interface language (otherwise the one chosen last on this browser, else
    /// Spanish).
    pub lang: Option<Lang>,
    /// Warnings fail the exit gate (`phase7 run --strict`).
    pub strict: bool,
    /// The evaluation time written into the MacroScore (`--evaluated-at`), RFC 3339.
    pub evaluated_at: Option<String>,
    /// Embedded layout: no `<header>`, `<main>` or `<footer>` landmarks of its own.
    pub embedded: bool,
    /// How long a fetch may take, in milliseconds.
    pub fetch_timeout_ms: u32,
    /// Origins other than the page's own that URLs may be fetched from (`"*"`: any).
    pub allowed_origins: Vec<String>,
    /// A what-if to show, as its compact text (`w=0.3,0.2,0.25,0.25`), parsed by the
    /// core's `WhatIfWeights::parse` when the panel starts (errors are shown coded).
    pub what_if: Option<String>,
    /// Monte Carlo parameters to run with as soon as a run is shown (`draws`, `seed`,
    /// `weightRange`, as text; checked by the panel). `None`: nothing runs by itself.
    pub monte_carlo: Option<McRequest>,
}

/// Monte Carlo parameters from a link or the mount options, as given (an empty text
/// takes the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct McRequest {
    /// Number of draws.
    pub draws: String,
    /// Seed.
    pub seed: String,
    /// Weight range.
    pub weight_range: String,
}

impl MountOptions {
    /// The defaults: the sample, no certificate or claim, not strict, 30 s fetches,
    /// same-origin URLs only.
    pub fn new() -> MountOptions {
        MountOptions {
            fetch_timeout_ms: DEFAULT_FETCH_TIMEOUT_MS,
            ..MountOptions::default()
        }
    }

    /// Reads the options from a query string (with or without the leading `?`):
    /// `phase6`, `certificate`, `claimed` (URLs), `lang` (`es`/`en`; anything else is
    /// ignored), `strict` (`1`/`true`), `evaluatedAt` (RFC 3339), `whatif` (`w=a,b,c,d`)
    /// and `seed`, `draws`, `weightRange` (any of them runs the Monte Carlo). Unknown keys
    /// are ignored; empty values count as absent; the first occurrence of a key wins.
    pub fn from_query(query: &str) -> MountOptions {
        let mut out = MountOptions::new();
        let mut seen = std::collections::HashSet::new();
        for (key, value) in query_pairs(query) {
            if value.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            match key.as_str() {
                "phase6" => out.phase6 = Some(Source::Url(value)),
                "certificate" => out.certificate = Some(Source::Url(value)),
                "claimed" => out.claimed = Some(Source::Url(value)),
                "lang" => out.lang = Lang::parse(&value),
                "strict" => out.strict = matches!(value.as_str(), "1" | "true"),
                "evaluatedAt" => out.evaluated_at = Some(value),
                "whatif" => out.what_if = Some(value),
                "seed" => out.monte_carlo.get_or_insert_with(McRequest::default).seed = value,
                "draws" => out.monte_carlo.get_or_insert_with(McRequest::default).draws = value,
                "weightRange" => {
                    out.monte_carlo
                        .get_or_insert_with(McRequest::default)
                        .weight_range = value
                }
                _ => {}
            }
        }
        out
    }
}

/// Whether a URL, already parsed by the browser into its `protocol` (`https:`) and
/// `origin` (`https://a.org`), may be fetched by a page whose origin is `page_origin`:
/// only `http:` and `https:` URLs, of the page's own origin or of one of `allowed`
/// (`"*"`: any origin).
///
/// # Errors
///
/// Why not, in a few words (shown with `FETCH_REFUSED`).
pub fn url_allowed(
    protocol: &str,
    origin: &str,
    page_origin: &str,
    allowed: &[String],
) -> Result<(), String> {
    if !matches!(protocol, "http:" | "https:") {
        return Err(format!(
            "{protocol} URLs are not fetched (only http: and https:)"
        ));
    }
    let same = origin.eq_ignore_ascii_case(page_origin);
    let listed = allowed
        .iter()
        .any(|a| a == "*" || a.trim_end_matches('/').eq_ignore_ascii_case(origin));
    if same || listed {
        Ok(())
    } else {
        Err(format!(
            "{origin} is not this page's origin and the host did not allow it"
        ))
    }
}

/// Splits an `application/x-www-form-urlencoded` query (with or without the leading `?`)
/// into decoded pairs (`form_urlencoded`): `+` is a space, invalid escapes are kept as
/// written and invalid UTF-8 is replaced, never rejected.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_urls_the_language_and_the_run_options() {
        let o = MountOptions::from_query(
            "?phase6=%2Fdata%2Fp06.json&certificate=cert.json&claimed=https%3A%2F%2Fx.org%2Fp07.json&lang=en&strict=1&evaluatedAt=2026-01-01T00%3A00%3A00Z",
        );
        assert_eq!(o.phase6, Some(Source::Url("/data/p06.json".into())));
        assert_eq!(o.certificate, Some(Source::Url("cert.json".into())));
        assert_eq!(
            o.claimed,
            Some(Source::Url("https://x.org/p07.json".into()))
        );
        assert_eq!(o.lang, Some(Lang::En));
        assert!(o.strict);
        assert_eq!(o.evaluated_at.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(o.fetch_timeout_ms, DEFAULT_FETCH_TIMEOUT_MS);
    }

    #[test]
    fn reads_a_what_if_and_monte_carlo_parameters() {
        let o = MountOptions::from_query("?whatif=w=0.3,0.2,0.25,0.25&seed=7&draws=5000");
        assert_eq!(o.what_if.as_deref(), Some("w=0.3,0.2,0.25,0.25"));
        let mc = o.monte_carlo.expect("requested");
        assert_eq!(
            (
                mc.seed.as_str(),
                mc.draws.as_str(),
                mc.weight_range.as_str()
            ),
            ("7", "5000", "")
        );
        // Encoded by URLSearchParams: the same.
        let o = MountOptions::from_query("whatif=w%3D1%2C1%2C1%2C1&weightRange=0.1");
        assert_eq!(o.what_if.as_deref(), Some("w=1,1,1,1"));
        assert_eq!(o.monte_carlo.expect("requested").weight_range, "0.1");
        assert_eq!(MountOptions::from_query("lang=en").monte_carlo, None);
    }

    #[test]
    fn ignores_unknown_empty_and_repeated_keys() {
        let o = MountOptions::from_query("x=1&phase6=&phase6=a.json&phase6=b.json&lang=fr&flag");
        assert_eq!(o.phase6, Some(Source::Url("a.json".into())));
        assert_eq!(o.lang, None);
        assert!(!o.strict);
        assert_eq!(MountOptions::from_query(""), MountOptions::new());
    }

    #[test]
    fn only_http_urls_of_allowed_origins() {
        let page = "http://127.0.0.1:8080";
        assert!(url_allowed("http:", page, page, &[]).is_ok());
        let other = url_allowed("https:", "https://x.org", page, &[]);
        assert!(other.unwrap_err().contains("https://x.org"));
        assert!(url_allowed("https:", "https://x.org", page, &["https://x.org/".into()]).is_ok());
        assert!(url_allowed("https:", "https://y.org", page, &["*".into()]).is_ok());
        for scheme in ["javascript:", "data:", "file:", "blob:"] {
            assert!(
                url_allowed(scheme, page, page, &["*".into()]).is_err(),
                "{scheme}"
            );
        }
    }

    /// One value as [`query_pairs`] decodes it.
    fn decode(s: &str) -> String {
        match query_pairs(&format!("k={s}")).as_slice() {
            [(k, v)] if k == "k" => v.clone(),
            other => panic!("{other:?}"),
        }
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
