//! The generator's own JSON tree, its meaning, and its rendering as text.
//!
//! Independent of the reader under test ([`crate::read::json`]): a [`Node`] says what a
//! text *means* (numbers as the f64 Python's `json` gives them, object keys in order,
//! duplicate keys kept), [`render`] spells it in one of many equivalent ways (whitespace,
//! escapes, number spellings, BOM), and [`same_meaning`] / [`identical`] are the oracle
//! the properties compare with — never the reader's own parse.

use std::collections::HashMap;

use arbitrary::Arbitrary;

use crate::read::json::Json;

/// A non-finite number token as Python's `json.dump` writes it (or a literal too large
/// for f64, which Python reads as `inf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum NonFinite {
    /// `NaN`
    NaN,
    /// `Infinity`
    Infinity,
    /// `-Infinity`
    NegInfinity,
    /// `1e400`
    Huge,
    /// `-1e999`
    NegHuge,
}

impl NonFinite {
    /// The token.
    pub fn token(self) -> &'static str {
        match self {
            NonFinite::NaN => "NaN",
            NonFinite::Infinity => "Infinity",
            NonFinite::NegInfinity => "-Infinity",
            NonFinite::Huge => "1e400",
            NonFinite::NegHuge => "-1e999",
        }
    }
}

/// A JSON value as the generator builds it.
#[derive(Clone, Debug)]
pub enum Node {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A finite number, spelled by the [`Style`].
    Num(f64),
    /// A number with a fixed spelling and the f64 it means (e.g. `-0` meaning `+0.0`:
    /// Python reads an integer `-0` as the int 0).
    Spelled(String, f64),
    /// A non-finite token.
    Tok(NonFinite),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Node>),
    /// An object, keys in order, duplicates allowed.
    Obj(Vec<(String, Node)>),
}

impl Node {
    /// The node for a value the core reader produced (used only to start from a fixture).
    pub fn from_json(v: &Json) -> Node {
        match v {
            Json::Null => Node::Null,
            Json::Bool(b) => Node::Bool(*b),
            Json::Number(x) if x.is_finite() => Node::Num(*x),
            Json::Number(x) if x.is_nan() => Node::Tok(NonFinite::NaN),
            Json::Number(x) if *x > 0.0 => Node::Tok(NonFinite::Infinity),
            Json::Number(_) => Node::Tok(NonFinite::NegInfinity),
            Json::String(s) => Node::Str(s.clone()),
            Json::Array(items) => Node::Arr(items.iter().map(Node::from_json).collect()),
            Json::Object(entries) => Node::Obj(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The number a numeric node means.
    pub fn number(&self) -> Option<f64> {
        match self {
            Node::Num(x) | Node::Spelled(_, x) => Some(*x),
            _ => None,
        }
    }

    /// The value of `key` in an object node (the last one, as Python keeps).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Obj(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Mutable [`Node::get`].
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Obj(entries) => entries
                .iter_mut()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// An estimate of the rendered size in bytes (compact), for the size budget.
    pub fn size_hint(&self) -> usize {
        match self {
            Node::Null | Node::Bool(_) => 5,
            Node::Num(_) => 24,
            Node::Spelled(s, _) => s.len(),
            Node::Tok(t) => t.token().len(),
            Node::Str(s) => s.len() + 2,
            Node::Arr(items) => 2 + items.iter().map(|i| i.size_hint() + 1).sum::<usize>(),
            Node::Obj(entries) => {
                2 + entries
                    .iter()
                    .map(|(k, v)| k.len() + 4 + v.size_hint())
                    .sum::<usize>()
            }
        }
    }
}

fn has_duplicate_keys(entries: &[(String, Node)]) -> bool {
    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

/// Equal in meaning: numbers by their bits (`-0.0` ≠ `0.0`), strings and booleans by
/// value, arrays element by element, objects as key → value maps (key order is not
/// meaning, RFC 8259). An object with a duplicate key means nothing definite and equals
/// no other object; a non-finite token equals only the same token.
pub fn same_meaning(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (Node::Tok(x), Node::Tok(y)) => x == y,
        (Node::Str(x), Node::Str(y)) => x == y,
        (Node::Arr(x), Node::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_meaning(p, q))
        }
        (Node::Obj(x), Node::Obj(y)) => {
            if has_duplicate_keys(x) || has_duplicate_keys(y) {
                return false;
            }
            // Keys are distinct here: look them up in a map (linear, for the generator's
            // objects of a million keys).
            let other: HashMap<&str, &Node> = y.iter().map(|(k, v)| (k.as_str(), v)).collect();
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| other.get(k.as_str()).is_some_and(|w| same_meaning(v, w)))
        }
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) => x.to_bits() == y.to_bits(),
            _ => false,
        },
    }
}

/// Identical: [`same_meaning`] with object keys in the same order (and duplicates in
/// the same places). Two renderings of identical trees are the same document.
pub fn identical(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Arr(x), Node::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| identical(p, q))
        }
        (Node::Obj(x), Node::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && identical(v, w))
        }
        (Node::Obj(_), _) | (_, Node::Obj(_)) => false,
        _ => same_meaning(a, b),
    }
}

/// How numbers are spelled. Every spelling reads back to the same f64.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum NumStyle {
    /// Shortest round-trip form (`0.1`, `1e-7`, `-0.0`).
    Shortest,
    /// Scientific, shortest digits (`1e-1`, `-0e0`).
    Exponent,
    /// Scientific with a capital `E` and an explicit `+` (`1E+2`).
    UpperExponent,
    /// Integral values as integers (`2`, and `-0` for `+0.0`); others shortest.
    Integer,
    /// 40 significant digits (`1.0000000000000000555111512312578270211816e-1`).
    Long,
}

/// How a tree is rendered: everything here is meaning-preserving.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub struct Style {
    /// 0: compact; otherwise pretty with this many spaces (mod 9).
    pub indent: u8,
    /// A space after `:` and `,` in compact form.
    pub spaced: bool,
    /// Non-ASCII characters as `\uXXXX` (surrogate pairs above the BMP).
    pub escape_non_ascii: bool,
    /// Every k-th ASCII letter as `\u00XX` (0: none).
    pub escape_every: u8,
    /// `/` as `\/`.
    pub escape_slash: bool,
    /// Number spelling.
    pub numbers: NumStyle,
    /// A UTF-8 byte-order mark first.
    pub bom: bool,
    /// CRLF line ends in pretty form.
    pub crlf: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            indent: 2,
            spaced: true,
            escape_non_ascii: false,
            escape_every: 0,
            escape_slash: false,
            numbers: NumStyle::Shortest,
            bom: false,
            crlf: false,
        }
    }
}

/// The text of `node` in `style`.
pub fn render(node: &Node, style: &Style) -> Vec<u8> {
    let mut r = Renderer {
        out: String::with_capacity(node.size_hint() + 16),
        style,
        letters: 0,
    };
    if style.bom {
        r.out.push('\u{FEFF}');
    }
    r.value(node, 0);
    r.out.into_bytes()
}

/// The number as text in a style (finite `x` only).
pub fn number_text(x: f64, style: NumStyle) -> String {
    match style {
        NumStyle::Shortest => format!("{x:?}"),
        NumStyle::Exponent => format!("{x:e}"),
        NumStyle::UpperExponent => {
            let t = format!("{x:e}");
            match t.split_once('e') {
                Some((m, e)) if !e.starts_with('-') => format!("{m}E+{e}"),
                Some((m, e)) => format!("{m}E{e}"),
                None => t,
            }
        }
        NumStyle::Integer => {
            if x == 0.0 && x.is_sign_positive() {
                "-0".to_string()
            } else if x.fract() == 0.0 && x.abs() < 9.0e18 && x != 0.0 {
                format!("{}", x as i64)
            } else {
                format!("{x:?}")
            }
        }
        NumStyle::Long => format!("{x:.40e}"),
    }
}

struct Renderer<'a> {
    out: String,
    style: &'a Style,
    letters: usize,
}

impl Renderer<'_> {
    fn newline(&mut self, depth: usize) {
        let indent = usize::from(self.style.indent % 9);
        if indent == 0 {
            return;
        }
        if self.style.crlf {
            self.out.push('\r');
        }
        self.out.push('\n');
        for _ in 0..indent * depth {
            self.out.push(' ');
        }
    }

    fn separator(&mut self, c: char) {
        self.out.push(c);
        if self.style.spaced && (self.style.indent.is_multiple_of(9) || c == ':') {
            self.out.push(' ');
        }
    }

    fn value(&mut self, node: &Node, depth: usize) {
        match node {
            Node::Null => self.out.push_str("null"),
            Node::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Node::Num(x) => {
                let t = number_text(*x, self.style.numbers);
                self.out.push_str(&t);
            }
            Node::Spelled(t, _) => self.out.push_str(t),
            Node::Tok(t) => self.out.push_str(t.token()),
            Node::Str(s) => self.string(s),
            Node::Arr(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.separator(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                if !items.is_empty() {
                    self.newline(depth);
                }
                self.out.push(']');
            }
            Node::Obj(entries) => {
                self.out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.separator(',');
                    }
                    self.newline(depth + 1);
                    self.string(k);
                    self.separator(':');
                    self.value(v, depth + 1);
                }
                if !entries.is_empty() {
                    self.newline(depth);
                }
                self.out.push('}');
            }
        }
    }

    fn string(&mut self, s: &str) {
        use std::fmt::Write;
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                '/' if self.style.escape_slash => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.out, "\\u{:04x}", c as u32);
                }
                c if c.is_ascii_alphabetic() && self.style.escape_every > 0 => {
                    self.letters += 1;
                    if self
                        .letters
                        .is_multiple_of(usize::from(self.style.escape_every))
                    {
                        let _ = write!(self.out, "\\u{:04X}", c as u32);
                    } else {
                        self.out.push(c);
                    }
                }
                c if !c.is_ascii() && self.style.escape_non_ascii => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        let _ = write!(self.out, "\\u{u:04x}");
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json;

    #[test]
    fn every_spelling_reads_back_to_the_same_bits() {
        let values = [
            0.0,
            -0.0,
            0.1,
            1.0,
            -2.5,
            1e-7,
            5e-324,
            1.7976931348623157e308,
            2.2250738585072014e-308,
            9007199254740993.0,
            1.6970916666666667,
            123456789012345680000.0,
        ];
        for style in [
            NumStyle::Shortest,
            NumStyle::Exponent,
            NumStyle::UpperExponent,
            NumStyle::Integer,
            NumStyle::Long,
        ] {
            for x in values {
                let t = number_text(x, style);
                // "-0" is Python's int 0, i.e. +0.0: the Integer style writes it only for
                // +0.0, so every spelling means `x`.
                match json::parse(t.as_bytes()).unwrap().value {
                    Json::Number(y) => {
                        assert_eq!(y.to_bits(), x.to_bits(), "{style:?} {x:?} -> {t}")
                    }
                    other => panic!("{t} read as {other:?}"),
                }
            }
        }
    }

    #[test]
    fn renderings_of_one_tree_mean_the_same() {
        let tree = Node::Obj(vec![
            ("a/b".into(), Node::Str("x\u{1F600}é\"\\\n\u{1}".into())),
            ("ext.a".into(), Node::Num(-0.0)),
            (
                "n".into(),
                Node::Arr(vec![Node::Num(1.5), Node::Null, Node::Bool(true)]),
            ),
        ]);
        let plain = json::parse(&render(&tree, &Style::default()))
            .unwrap()
            .value;
        let odd = Style {
            indent: 0,
            spaced: false,
            escape_non_ascii: true,
            escape_every: 2,
            escape_slash: true,
            numbers: NumStyle::Long,
            bom: true,
            crlf: true,
        };
        let other = json::parse(&render(&tree, &odd)).unwrap().value;
        assert!(identical(&Node::from_json(&plain), &tree));
        assert!(identical(&Node::from_json(&other), &tree));
    }

    #[test]
    fn meaning_ignores_key_order_not_sign_of_zero() {
        let a = Node::Obj(vec![("x".into(), Node::Num(0.0)), ("y".into(), Node::Null)]);
        let b = Node::Obj(vec![
            ("y".into(), Node::Null),
            ("x".into(), Node::Spelled("-0".into(), 0.0)),
        ]);
        let c = Node::Obj(vec![
            ("y".into(), Node::Null),
            ("x".into(), Node::Num(-0.0)),
        ]);
        assert!(same_meaning(&a, &b) && !identical(&a, &b));
        assert!(!same_meaning(&a, &c));
        let dup = Node::Obj(vec![("x".into(), Node::Null), ("x".into(), Node::Null)]);
        assert!(!same_meaning(&dup, &dup) && identical(&dup, &dup));
    }
}
