//! The structure-aware generator: an `arbitrary`-derived plan model → a [`Node`] tree →
//! JSON text.
//!
//! A [`Plan`] starts from a base (the sample, one of the 1,000 public vectors, clusters
//! built field by field, or any value), optionally wraps it in an envelope with metadata,
//! applies small [`Edit`]s (the meaning-changing edits of the certificate property: a
//! flipped sign of zero, a dotted key, one ulp, reordered clusters, an unknown key, a
//! duplicated area, …) and then [`Bulk`] additions that make inputs LARGE from a few
//! bytes of fuzzer input: many keys, long keys holding many non-finite numbers, many
//! negative zeros, many areas, many clusters, deep nesting, long strings, many duplicate
//! keys — up to [`MAX_GENERATED_BYTES`] in all. Counts are drawn on a logarithmic scale
//! and the budget of each plan is [`MAX_GENERATED_BYTES`] halved 0–11 times, so small
//! inputs (fast, for the search) and huge ones (for the size-driven failures) are both
//! common.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};

use super::node::{Node, NonFinite, Style};
use crate::read::json::{self, Step};

/// The largest text the generator makes (estimated while building; the rendered text can
/// exceed it by the base's size and pretty-printing).
pub const MAX_GENERATED_BYTES: usize = 4 << 20;

/// At most this many edits are applied (the rest are ignored).
pub const MAX_EDITS: usize = 16;

/// At most this many bulk additions are applied (the rest are ignored).
pub const MAX_BULK: usize = 4;

/// Deepest [`AnyValue`].
const MAX_ANY_DEPTH: u32 = 6;

/// The sample Phase 6 file.
pub const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

/// The 1,000 public vectors, one JSON object per line (`{"phase6": …, "expected": …}`).
pub const VECTORS: &str = include_str!("../../../tests/fixtures/phase7_public.jsonl");

/// The Phase 6 value of vector `i` (mod the count), as the core reader reads it.
pub fn vector(i: usize) -> Node {
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let lines = LINES.get_or_init(|| VECTORS.lines().filter(|l| !l.is_empty()).collect());
    let line = lines[i % lines.len()];
    json::parse(line.as_bytes())
        .ok()
        .and_then(|d| d.value.get("phase6").map(Node::from_json))
        .unwrap_or(Node::Null)
}

/// The sample as a tree.
pub fn sample() -> Node {
    static TREE: OnceLock<Node> = OnceLock::new();
    TREE.get_or_init(|| {
        json::parse(SAMPLE)
            .map(|d| Node::from_json(&d.value))
            .unwrap_or(Node::Null)
    })
    .clone()
}

/// Any JSON value (bounded depth), including non-finite tokens.
#[derive(Clone, Debug)]
pub struct AnyValue(pub Node);

impl<'a> Arbitrary<'a> for AnyValue {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        any_value(u, 0).map(AnyValue)
    }
}

fn any_value(u: &mut Unstructured<'_>, depth: u32) -> arbitrary::Result<Node> {
    let top = if depth >= MAX_ANY_DEPTH { 5 } else { 7 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Node::Null,
        1 => Node::Bool(u.arbitrary()?),
        2 => Node::Num(GenNum::arbitrary(u)?.value(3.0)),
        3 => Node::Tok(u.arbitrary()?),
        4 => Node::Str(u.arbitrary()?),
        5 => Node::Num(finite(u.arbitrary()?)),
        6 => {
            let n = u.int_in_range(0..=8)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(any_value(u, depth + 1)?);
            }
            Node::Arr(items)
        }
        _ => {
            let n = u.int_in_range(0..=8)?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                entries.push((u.arbitrary()?, any_value(u, depth + 1)?));
            }
            Node::Obj(entries)
        }
    })
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.5
    }
}

/// A number: mostly inside a field's domain, sometimes anything.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum GenNum {
    /// `u / 65535 · max`.
    Unit(u16),
    /// Any finite f64 (non-finite bit patterns become 0.5).
    Raw(f64),
    /// A small integer.
    Small(i8),
    /// `0.0`, or `-0.0` when true.
    Zero(bool),
    /// The bound itself, or one ulp beyond it.
    Edge(bool),
}

impl GenNum {
    /// The value for a field whose domain is `[0, max]`.
    pub fn value(self, max: f64) -> f64 {
        match self {
            GenNum::Unit(u) => f64::from(u) / 65535.0 * max,
            GenNum::Raw(x) => finite(x),
            GenNum::Small(i) => f64::from(i),
            GenNum::Zero(neg) => {
                if neg {
                    -0.0
                } else {
                    0.0
                }
            }
            GenNum::Edge(beyond) => {
                if beyond {
                    f64::from_bits(max.to_bits() + 1)
                } else {
                    max
                }
            }
        }
    }
}

/// One cluster built field by field (mostly valid).
#[derive(Clone, Debug, Arbitrary)]
pub struct GenCluster {
    /// 0..=11: `CLUSTER_MESO_{id % 4 + 1}`; then an unknown id, an empty one, none, a
    /// number.
    pub id: u8,
    /// `score` in [0, 3].
    pub score: GenNum,
    /// `coherence` in [0, 1].
    pub coherence: GenNum,
    /// `variance` ≥ 0.
    pub variance: GenNum,
    /// `score_std`, when present.
    pub score_std: Option<GenNum>,
    /// `penalty_applied`, when present.
    pub penalty: Option<GenNum>,
    /// `weakest_area`: one of the cluster's areas (or PA99 when ≥ 200).
    pub weakest: Option<u8>,
    /// `provenance_node_id`.
    pub provenance: Option<String>,
    /// `cluster_name`.
    pub name: Option<String>,
    /// Rotate the areas by this much.
    pub rotate_areas: u8,
    /// Unknown keys.
    pub extra: Vec<(String, AnyValue)>,
}

impl GenCluster {
    fn build(&self) -> Node {
        const IDS: [&str; 4] = [
            "CLUSTER_MESO_1",
            "CLUSTER_MESO_2",
            "CLUSTER_MESO_3",
            "CLUSTER_MESO_4",
        ];
        const AREAS: [&[&str]; 4] = [
            &["PA01", "PA02", "PA03"],
            &["PA04", "PA05", "PA06"],
            &["PA07", "PA08"],
            &["PA09", "PA10"],
        ];
        let k = usize::from(self.id % 4);
        let mut e: Vec<(String, Node)> = Vec::new();
        match self.id % 16 {
            0..=11 => e.push(("cluster_id".into(), Node::Str(IDS[k].into()))),
            12 => e.push(("cluster_id".into(), Node::Str("CLUSTER_MESO_5".into()))),
            13 => e.push(("cluster_id".into(), Node::Str(String::new()))),
            14 => {}
            _ => e.push(("cluster_id".into(), Node::Num(f64::from(self.id)))),
        }
        if let Some(n) = &self.name {
            e.push(("cluster_name".into(), Node::Str(n.clone())));
        }
        let mut areas: Vec<&str> = AREAS[k].to_vec();
        let r = usize::from(self.rotate_areas) % areas.len();
        areas.rotate_left(r);
        e.push((
            "areas".into(),
            Node::Arr(areas.iter().map(|a| Node::Str((*a).into())).collect()),
        ));
        e.push(("score".into(), Node::Num(self.score.value(3.0))));
        e.push(("coherence".into(), Node::Num(self.coherence.value(1.0))));
        e.push(("variance".into(), Node::Num(self.variance.value(1.0))));
        if let Some(w) = self.weakest {
            let area = if w >= 200 {
                "PA99"
            } else {
                AREAS[k][usize::from(w) % AREAS[k].len()]
            };
            e.push(("weakest_area".into(), Node::Str(area.into())));
        }
        if let Some(s) = self.score_std {
            e.push(("score_std".into(), Node::Num(s.value(1.0))));
        }
        if let Some(p) = &self.provenance {
            e.push(("provenance_node_id".into(), Node::Str(p.clone())));
        }
        if let Some(p) = self.penalty {
            e.push(("penalty_applied".into(), Node::Num(p.value(1.0))));
        }
        for (key, v) in &self.extra {
            e.push((key.clone(), v.0.clone()));
        }
        Node::Obj(e)
    }
}

/// What the input starts from.
#[derive(Clone, Debug, Arbitrary)]
pub enum Base {
    /// `tests/fixtures/p06_sample.json`.
    Sample,
    /// One of the public vectors' Phase 6 values.
    Vector(u16),
    /// Clusters built field by field.
    Clusters(Vec<GenCluster>),
    /// Any value at all.
    Any(AnyValue),
}

/// The envelope form `{"cluster_scores": [...], ...metadata}`.
#[derive(Clone, Debug, Arbitrary)]
pub struct Envelope {
    /// Other keys of the envelope.
    pub metadata: Vec<(String, AnyValue)>,
    /// Where `cluster_scores` goes among them.
    pub position: u8,
}

/// A small edit of the tree: the meaning-changing (and some meaning-preserving) changes
/// of the certificate and claim properties. `nth` counts nodes of the kind in document
/// order, modulo their number; an edit with nothing to apply to does nothing.
#[derive(Clone, Debug, Arbitrary)]
pub enum Edit {
    /// The nth number: a zero gets the other sign, anything else becomes `-0.0`.
    FlipZeroSign(u32),
    /// The nth number one ulp up or down.
    Ulp {
        /// Which number.
        nth: u32,
        /// Up (towards +∞) or down.
        up: bool,
    },
    /// The nth number set to another value.
    SetNumber {
        /// Which number.
        nth: u32,
        /// The new value (in [0, 3] when scaled).
        value: GenNum,
    },
    /// The nth number replaced by a non-finite token.
    NonFinite {
        /// Which number.
        nth: u32,
        /// The token.
        token: NonFinite,
    },
    /// The nth number spelled `-0` (the integer, meaning `+0.0`).
    SpellAsIntegerZero(u32),
    /// The nth entry holding a non-empty object, `{"k": {"a": v, …}}`, split into
    /// `{"k.a": v, "k": {…}}`.
    DotKey(u32),
    /// The nth entry with a dotted key, `{"k.a": v}`, nested as `{"k": {"a": v}}`.
    UndotKey(u32),
    /// Two elements of the nth array swapped.
    SwapElements {
        /// Which array.
        nth: u32,
        /// One index (mod the length).
        i: u16,
        /// The other.
        j: u16,
    },
    /// Two clusters swapped.
    SwapClusters(u8, u8),
    /// A key added to the nth object.
    AddKey {
        /// Which object.
        nth: u32,
        /// The key.
        key: String,
        /// Its value.
        value: AnyValue,
    },
    /// The nth object entry repeated at the end of its object.
    DuplicateKey(u32),
    /// One area of a cluster listed once more.
    DuplicateArea {
        /// Which cluster.
        cluster: u8,
        /// Which area.
        area: u8,
    },
    /// The nth object entry removed.
    RemoveEntry(u32),
    /// An element of the nth array removed.
    RemoveElement {
        /// Which array.
        nth: u32,
        /// Which element.
        i: u16,
    },
    /// The nth string replaced.
    SetString {
        /// Which string.
        nth: u32,
        /// The new text.
        value: String,
    },
    /// One character of the nth string replaced.
    TweakString {
        /// Which string.
        nth: u32,
        /// Where.
        at: u16,
        /// The new character.
        c: char,
    },
    /// The nth node replaced by null.
    ToNull(u32),
    /// The nth node replaced by any value.
    Replace {
        /// Which node.
        nth: u32,
        /// The new value.
        value: AnyValue,
    },
    /// The entries of the nth object in reverse order (meaning-preserving).
    ReverseKeys(u32),
    /// The sign of the nth negative zero moved to the mth positive zero (same count of
    /// negative zeros, in other places: only their positions tell the inputs apart).
    MoveNegativeZero {
        /// Which negative zero becomes `0.0`.
        from: u32,
        /// Which positive zero becomes `-0.0`.
        to: u32,
    },
}

/// Where a [`Bulk`] addition goes.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Place {
    /// The envelope object (or the first cluster when there is none).
    Envelope,
    /// A cluster object (unknown keys).
    Cluster(u8),
    /// A cluster's `validation_details` object (created when absent).
    Details(u8),
    /// A cluster's `area_scores` array (created when absent).
    AreaScores(u8),
    /// The cluster array itself.
    ClusterArray,
}

/// A scalar to repeat.
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Leaf {
    /// `null`
    Null,
    /// `true`
    True,
    /// A number.
    Num(GenNum),
    /// `-0.0`
    NegZero,
    /// A non-finite token.
    Tok(NonFinite),
    /// A short string of this many `x`s (mod 64).
    Str(u8),
}

impl Leaf {
    fn node(self) -> Node {
        match self {
            Leaf::Null => Node::Null,
            Leaf::True => Node::Bool(true),
            Leaf::Num(n) => Node::Num(n.value(3.0)),
            Leaf::NegZero => Node::Num(-0.0),
            Leaf::Tok(t) => Node::Tok(t),
            Leaf::Str(n) => Node::Str("x".repeat(usize::from(n % 64))),
        }
    }
}

/// A large addition. Counts are log-scaled ([`scaled`]) and clamped to the size budget.
#[derive(Clone, Debug, Arbitrary)]
pub enum Bulk {
    /// Many distinct keys (`k<i>` padded to `key_len` with `_`).
    ManyKeys {
        /// Where.
        at: Place,
        /// How many (log-scaled).
        count: u32,
        /// Key length (log-scaled).
        key_len: u32,
        /// Each key's value.
        value: Leaf,
    },
    /// One long key holding an array of many copies of a value (the 1 MiB key with
    /// 1,000 `NaN`s of issue 9).
    LongKey {
        /// Where.
        at: Place,
        /// Key length (log-scaled).
        len: u32,
        /// How many values under it (log-scaled).
        values: u32,
        /// The value.
        value: Leaf,
    },
    /// Many non-finite tokens, in an array or each under its own key.
    ManyNonFinite {
        /// Where.
        at: Place,
        /// How many (log-scaled).
        count: u32,
        /// Which token.
        token: NonFinite,
        /// Each under its own key rather than in one array.
        keyed: bool,
    },
    /// Many negative zeros under distinct keys (each is a pointer in the certificate).
    ManyNegativeZeros {
        /// Where.
        at: Place,
        /// How many (log-scaled).
        count: u32,
        /// Key length (log-scaled).
        key_len: u32,
    },
    /// Many areas in a cluster's `areas` (repeats of its own, or distinct unknown ones).
    ManyAreas {
        /// Which cluster.
        cluster: u8,
        /// How many (log-scaled).
        count: u32,
        /// Distinct unknown areas (`PAX<i>`) rather than repeats.
        distinct: bool,
    },
    /// Many more clusters: copies of the first, non-objects, or empty objects.
    ManyClusters {
        /// How many (log-scaled).
        count: u32,
        /// 0: copies, 1: numbers, 2: empty objects, 3: copies with fresh ids.
        kind: u8,
    },
    /// Deep nesting (beyond the reader's limit of 128 when `depth` allows).
    Deep {
        /// Where.
        at: Place,
        /// Depth (mod 300).
        depth: u16,
        /// Objects rather than arrays.
        objects: bool,
    },
    /// One long string.
    LongString {
        /// Where.
        at: Place,
        /// Length in characters (log-scaled).
        len: u32,
        /// The character repeated.
        c: char,
    },
    /// The same key many times in one object.
    ManyDuplicateKeys {
        /// Where.
        at: Place,
        /// How many (log-scaled).
        count: u32,
        /// Key length (log-scaled).
        key_len: u32,
    },
    /// Pairs of paths that a careless path syntax confuses, one holding `-0.0` and the
    /// other `0.0`: `{"k.a": 0.0, "k": {"a": -0.0}}`, `{"k/a": …, "k": {"a": …}}`,
    /// `{"k~1": …, "k/": …}`, `{"k": {"0": …}, "k[0]": …}`.
    AmbiguousZeros {
        /// Where.
        at: Place,
        /// How many pairs (log-scaled).
        count: u32,
        /// Which of the pair holds the negative zero.
        first_negative: bool,
    },
    /// Many numbers in one array.
    ManyNumbers {
        /// Where.
        at: Place,
        /// How many (log-scaled).
        count: u32,
        /// The first value (each next one ulp up).
        start: GenNum,
    },
}

/// A whole generated input. The small fields come first: `arbitrary` fills fields in
/// order and gives the defaults once the fuzzer's bytes run out.
#[derive(Clone, Debug, Arbitrary)]
pub struct Plan {
    /// The size budget of the bulk additions: [`MAX_GENERATED_BYTES`] halved
    /// `11 − budget % 12` times (2 KiB to 4 MiB), so most inputs stay small (and fast)
    /// and one in four may reach megabytes.
    pub budget: u8,
    /// How it is spelled.
    pub style: Style,
    /// What it starts from.
    pub base: Base,
    /// The envelope, if any.
    pub envelope: Option<Envelope>,
    /// Small edits, in order.
    pub edits: Vec<Edit>,
    /// Large additions, in order.
    pub bulk: Vec<Bulk>,
}

/// A count on a logarithmic scale: the top 4 bits pick how many of the low bits count, so
/// a few, hundreds, thousands and millions are all likely (3 in 16 reach a million; the
/// size budget caps them).
pub fn scaled(x: u32) -> usize {
    const BITS: [u32; 16] = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 24, 27];
    let bits = BITS[(x >> 28) as usize];
    (x & ((1u32 << bits) - 1)) as usize
}

impl Plan {
    /// The tree of the input this plan describes.
    pub fn build(&self) -> Node {
        let clusters = match &self.base {
            Base::Sample => sample(),
            Base::Vector(i) => vector(usize::from(*i)),
            Base::Clusters(cs) => Node::Arr(cs.iter().map(GenCluster::build).collect()),
            Base::Any(v) => v.0.clone(),
        };
        let mut root = match &self.envelope {
            None => clusters,
            Some(env) => {
                let mut entries: Vec<(String, Node)> = env
                    .metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.0.clone()))
                    .collect();
                let at = usize::from(env.position) % (entries.len() + 1);
                entries.insert(at, ("cluster_scores".into(), clusters));
                Node::Obj(entries)
            }
        };
        for e in self.edits.iter().take(MAX_EDITS) {
            apply(&mut root, e);
        }
        let mut budget = MAX_GENERATED_BYTES >> (11 - self.budget % 12);
        for b in self.bulk.iter().take(MAX_BULK) {
            add_bulk(&mut root, b, &mut budget);
        }
        root
    }
}

/// The cluster array of a tree: the root array, or the envelope's `cluster_scores`.
pub fn clusters_mut(root: &mut Node) -> Option<&mut Vec<Node>> {
    match root {
        Node::Arr(items) => Some(items),
        Node::Obj(_) => match root.get_mut("cluster_scores") {
            Some(Node::Arr(items)) => Some(items),
            _ => None,
        },
        _ => None,
    }
}

/// Index paths (array index or entry index at each level) of the nodes `pick` selects,
/// in document order.
fn paths(root: &Node, pick: &dyn Fn(&Node) -> bool) -> Vec<Vec<usize>> {
    fn walk(
        n: &Node,
        at: &mut Vec<usize>,
        pick: &dyn Fn(&Node) -> bool,
        out: &mut Vec<Vec<usize>>,
    ) {
        if pick(n) {
            out.push(at.clone());
        }
        match n {
            Node::Arr(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(i);
                    walk(item, at, pick, out);
                    at.pop();
                }
            }
            Node::Obj(entries) => {
                for (i, (_, v)) in entries.iter().enumerate() {
                    at.push(i);
                    walk(v, at, pick, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), pick, &mut out);
    out
}

fn node_at<'a>(root: &'a mut Node, path: &[usize]) -> Option<&'a mut Node> {
    let mut n = root;
    for &i in path {
        n = match n {
            Node::Arr(items) => items.get_mut(i)?,
            Node::Obj(entries) => &mut entries.get_mut(i)?.1,
            _ => return None,
        };
    }
    Some(n)
}

/// The reader's path ([`Step`]s) of an index path.
pub fn steps(root: &Node, path: &[usize]) -> Vec<Step> {
    let mut out = Vec::with_capacity(path.len());
    let mut n = root;
    for &i in path {
        match n {
            Node::Arr(items) => {
                out.push(Step::Index(i));
                match items.get(i) {
                    Some(next) => n = next,
                    None => break,
                }
            }
            Node::Obj(entries) => match entries.get(i) {
                Some((k, next)) => {
                    out.push(Step::Key(k.clone()));
                    n = next;
                }
                None => break,
            },
            _ => break,
        }
    }
    out
}

fn nth_path(root: &Node, pick: &dyn Fn(&Node) -> bool, nth: u32) -> Option<Vec<usize>> {
    let all = paths(root, pick);
    if all.is_empty() {
        None
    } else {
        Some(all[nth as usize % all.len()].clone())
    }
}

fn is_number(n: &Node) -> bool {
    n.number().is_some()
}

/// Applies one edit; returns the index path of the node it changed (when it changed
/// one node in place), for properties that name the edited field. (Long: one arm per
/// kind of edit, each a few lines; test support, not the library.)
pub fn apply(root: &mut Node, edit: &Edit) -> Option<Vec<usize>> {
    let number_at = |root: &Node, nth: u32| nth_path(root, &is_number, nth);
    match edit {
        Edit::FlipZeroSign(nth) => {
            let p = number_at(root, *nth)?;
            let n = node_at(root, &p)?;
            let x = n.number()?;
            *n = Node::Num(if x == 0.0 { -x } else { -0.0 });
            Some(p)
        }
        Edit::Ulp { nth, up } => {
            let p = number_at(root, *nth)?;
            let n = node_at(root, &p)?;
            let x = n.number()?;
            let y = if *up { x.next_up() } else { x.next_down() };
            *n = Node::Num(finite_or(y, x));
            Some(p)
        }
        Edit::SetNumber { nth, value } => {
            let p = number_at(root, *nth)?;
            *node_at(root, &p)? = Node::Num(value.value(3.0));
            Some(p)
        }
        Edit::NonFinite { nth, token } => {
            let p = number_at(root, *nth)?;
            *node_at(root, &p)? = Node::Tok(*token);
            Some(p)
        }
        Edit::SpellAsIntegerZero(nth) => {
            let p = number_at(root, *nth)?;
            *node_at(root, &p)? = Node::Spelled("-0".into(), 0.0);
            Some(p)
        }
        Edit::DotKey(nth) => {
            let holds_object_entry = |n: &Node| matches!(n, Node::Obj(es) if es.iter().any(|(_, v)| matches!(v, Node::Obj(inner) if !inner.is_empty())));
            let p = nth_path(root, &holds_object_entry, *nth)?;
            let Node::Obj(entries) = node_at(root, &p)? else {
                return None;
            };
            let i = entries
                .iter()
                .position(|(_, v)| matches!(v, Node::Obj(inner) if !inner.is_empty()))?;
            let (outer, inner) = &mut entries[i];
            let Node::Obj(inner) = inner else { return None };
            let (k, v) = inner.remove(0);
            let dotted = format!("{outer}.{k}");
            entries.insert(i, (dotted, v));
            None
        }
        Edit::UndotKey(nth) => {
            let has_dotted =
                |n: &Node| matches!(n, Node::Obj(es) if es.iter().any(|(k, _)| k.contains('.')));
            let p = nth_path(root, &has_dotted, *nth)?;
            let Node::Obj(entries) = node_at(root, &p)? else {
                return None;
            };
            let i = entries.iter().position(|(k, _)| k.contains('.'))?;
            let (k, v) = entries.remove(i);
            let (outer, inner) = k.split_once('.')?;
            entries.insert(
                i,
                (outer.to_string(), Node::Obj(vec![(inner.to_string(), v)])),
            );
            None
        }
        Edit::SwapElements { nth, i, j } => {
            let p = nth_path(root, &|n| matches!(n, Node::Arr(a) if a.len() > 1), *nth)?;
            let Node::Arr(items) = node_at(root, &p)? else {
                return None;
            };
            let len = items.len();
            items.swap(usize::from(*i) % len, usize::from(*j) % len);
            None
        }
        Edit::SwapClusters(i, j) => {
            let items = clusters_mut(root)?;
            let len = items.len();
            if len > 0 {
                items.swap(usize::from(*i) % len, usize::from(*j) % len);
            }
            None
        }
        Edit::AddKey { nth, key, value } => {
            let p = nth_path(root, &|n| matches!(n, Node::Obj(_)), *nth)?;
            if let Node::Obj(entries) = node_at(root, &p)? {
                entries.push((key.clone(), value.0.clone()));
            }
            None
        }
        Edit::DuplicateKey(nth) => {
            let p = nth_path(
                root,
                &|n| matches!(n, Node::Obj(es) if !es.is_empty()),
                *nth,
            )?;
            if let Node::Obj(entries) = node_at(root, &p)? {
                let copy = entries[*nth as usize % entries.len()].clone();
                entries.push(copy);
            }
            None
        }
        Edit::DuplicateArea { cluster, area } => {
            let items = clusters_mut(root)?;
            let len = items.len();
            let c = items.get_mut(usize::from(*cluster) % len.max(1))?;
            if let Some(Node::Arr(areas)) = c.get_mut("areas") {
                if !areas.is_empty() {
                    let copy = areas[usize::from(*area) % areas.len()].clone();
                    areas.push(copy);
                }
            }
            None
        }
        Edit::RemoveEntry(nth) => {
            let p = nth_path(
                root,
                &|n| matches!(n, Node::Obj(es) if !es.is_empty()),
                *nth,
            )?;
            if let Node::Obj(entries) = node_at(root, &p)? {
                let len = entries.len();
                entries.remove(*nth as usize % len);
            }
            None
        }
        Edit::RemoveElement { nth, i } => {
            let p = nth_path(root, &|n| matches!(n, Node::Arr(a) if !a.is_empty()), *nth)?;
            if let Node::Arr(items) = node_at(root, &p)? {
                let len = items.len();
                items.remove(usize::from(*i) % len);
            }
            None
        }
        Edit::SetString { nth, value } => {
            let p = nth_path(root, &|n| matches!(n, Node::Str(_)), *nth)?;
            *node_at(root, &p)? = Node::Str(value.clone());
            Some(p)
        }
        Edit::TweakString { nth, at, c } => {
            let p = nth_path(root, &|n| matches!(n, Node::Str(_)), *nth)?;
            if let Node::Str(s) = node_at(root, &p)? {
                let mut chars: Vec<char> = s.chars().collect();
                if chars.is_empty() {
                    chars.push(*c);
                } else {
                    let len = chars.len();
                    chars[usize::from(*at) % len] = *c;
                }
                *s = chars.into_iter().collect();
            }
            Some(p)
        }
        Edit::ToNull(nth) => {
            let p = nth_path(root, &|_| true, *nth)?;
            *node_at(root, &p)? = Node::Null;
            Some(p)
        }
        Edit::Replace { nth, value } => {
            let p = nth_path(root, &|_| true, *nth)?;
            *node_at(root, &p)? = value.0.clone();
            Some(p)
        }
        Edit::MoveNegativeZero { from, to } => {
            let zero = |negative: bool| move |n: &Node| matches!(n, Node::Num(x) if *x == 0.0 && x.is_sign_negative() == negative);
            let p = nth_path(root, &zero(true), *from)?;
            let q = nth_path(root, &zero(false), *to)?;
            *node_at(root, &p)? = Node::Num(0.0);
            *node_at(root, &q)? = Node::Num(-0.0);
            None
        }
        Edit::ReverseKeys(nth) => {
            let p = nth_path(root, &|n| matches!(n, Node::Obj(_)), *nth)?;
            if let Node::Obj(entries) = node_at(root, &p)? {
                entries.reverse();
            }
            None
        }
    }
}

fn finite_or(y: f64, x: f64) -> f64 {
    if y.is_finite() {
        y
    } else {
        x
    }
}

/// How many of something costing `each` bytes fit, at most `wanted`; charged to `budget`.
fn take(wanted: usize, each: usize, budget: &mut usize) -> usize {
    let n = wanted.min(*budget / each.max(1));
    *budget -= n * each.max(1);
    n
}

/// The container a [`Place`] names, created when needed; `None` for a tree without one.
fn place<'a>(root: &'a mut Node, at: Place) -> Option<&'a mut Node> {
    let cluster = |root: &'a mut Node, i: u8| -> Option<&'a mut Node> {
        let items = clusters_mut(root)?;
        let len = items.len();
        items.get_mut(usize::from(i) % len.max(1))
    };
    match at {
        Place::Envelope => {
            if matches!(root, Node::Obj(_)) {
                Some(root)
            } else {
                cluster(root, 0)
            }
        }
        Place::Cluster(i) => cluster(root, i),
        Place::ClusterArray => match root {
            Node::Arr(_) => Some(root),
            _ => root.get_mut("cluster_scores"),
        },
        Place::Details(i) | Place::AreaScores(i) => {
            let (key, empty) = if matches!(at, Place::Details(_)) {
                ("validation_details", Node::Obj(Vec::new()))
            } else {
                ("area_scores", Node::Arr(Vec::new()))
            };
            let c = cluster(root, i)?;
            let Node::Obj(entries) = c else {
                return Some(c);
            };
            let pos = match entries.iter().position(|(k, _)| k == key) {
                Some(p) => p,
                None => {
                    entries.push((key.to_string(), empty));
                    entries.len() - 1
                }
            };
            Some(&mut entries[pos].1)
        }
    }
}

/// Adds `key: value` to an object, or `value` (as `{key: value}` when keyed) to an array.
fn insert(container: &mut Node, key: String, value: Node) {
    match container {
        Node::Obj(entries) => entries.push((key, value)),
        Node::Arr(items) => items.push(Node::Obj(vec![(key, value)])),
        _ => {}
    }
}

fn padded_key(i: usize, len: usize) -> String {
    let mut k = format!("k{i}");
    while k.len() < len {
        k.push('_');
    }
    k
}

/// Adds one bulk addition within `budget` bytes (charged). (Long: one arm per shape of
/// bulk input, each a few lines; test support, not the library.)
pub fn add_bulk(root: &mut Node, b: &Bulk, budget: &mut usize) {
    match b {
        Bulk::ManyKeys {
            at,
            count,
            key_len,
            value,
        } => {
            let key_len = scaled(*key_len).min(*budget);
            let v = value.node();
            let n = take(scaled(*count), key_len + 12 + v.size_hint(), budget);
            if let Some(c) = place(root, *at) {
                for i in 0..n {
                    insert(c, padded_key(i, key_len), v.clone());
                }
            }
        }
        Bulk::LongKey {
            at,
            len,
            values,
            value,
        } => {
            let len = take(scaled(*len), 1, budget);
            let v = value.node();
            let n = take(scaled(*values), v.size_hint() + 2, budget);
            if let Some(c) = place(root, *at) {
                insert(c, "L".repeat(len), Node::Arr(vec![v; n]));
            }
        }
        Bulk::ManyNonFinite {
            at,
            count,
            token,
            keyed,
        } => {
            let each = token.token().len() + if *keyed { 14 } else { 2 };
            let n = take(scaled(*count), each, budget);
            if let Some(c) = place(root, *at) {
                if *keyed {
                    for i in 0..n {
                        insert(c, padded_key(i, 0), Node::Tok(*token));
                    }
                } else {
                    insert(
                        c,
                        "non_finite".into(),
                        Node::Arr(vec![Node::Tok(*token); n]),
                    );
                }
            }
        }
        Bulk::ManyNegativeZeros { at, count, key_len } => {
            let key_len = scaled(*key_len).min(*budget);
            let n = take(scaled(*count), key_len + 16, budget);
            if let Some(c) = place(root, *at) {
                for i in 0..n {
                    insert(c, padded_key(i, key_len), Node::Num(-0.0));
                }
            }
        }
        Bulk::ManyAreas {
            cluster,
            count,
            distinct,
        } => {
            let n = take(scaled(*count), 12, budget);
            let Some(items) = clusters_mut(root) else {
                return;
            };
            let len = items.len();
            let Some(c) = items.get_mut(usize::from(*cluster) % len.max(1)) else {
                return;
            };
            if let Some(Node::Arr(areas)) = c.get_mut("areas") {
                let own: Vec<Node> = areas.clone();
                for i in 0..n {
                    if *distinct || own.is_empty() {
                        areas.push(Node::Str(format!("PAX{i}")));
                    } else {
                        areas.push(own[i % own.len()].clone());
                    }
                }
            }
        }
        Bulk::ManyClusters { count, kind } => {
            let Some(items) = clusters_mut(root) else {
                return;
            };
            let first = items.first().cloned().unwrap_or(Node::Null);
            let each = match kind % 4 {
                1 => 4,
                2 => 3,
                _ => first.size_hint().max(1),
            };
            let n = take(scaled(*count), each, budget);
            for i in 0..n {
                items.push(match kind % 4 {
                    0 => first.clone(),
                    1 => Node::Num(i as f64),
                    2 => Node::Obj(Vec::new()),
                    _ => {
                        let mut c = first.clone();
                        if let Some(id) = c.get_mut("cluster_id") {
                            *id = Node::Str(format!("CLUSTER_MESO_{}", i + 5));
                        }
                        c
                    }
                });
            }
        }
        Bulk::Deep { at, depth, objects } => {
            let depth = take(usize::from(*depth % 300), 8, budget);
            let mut v = Node::Num(-0.0);
            for _ in 0..depth {
                v = if *objects {
                    Node::Obj(vec![("d".into(), v)])
                } else {
                    Node::Arr(vec![v])
                };
            }
            if let Some(c) = place(root, *at) {
                insert(c, "deep".into(), v);
            }
        }
        Bulk::LongString { at, len, c } => {
            let n = take(scaled(*len), c.len_utf8().max(2), budget);
            if let Some(container) = place(root, *at) {
                insert(container, "long".into(), Node::Str(c.to_string().repeat(n)));
            }
        }
        Bulk::ManyDuplicateKeys { at, count, key_len } => {
            let key_len = scaled(*key_len).min(*budget);
            let n = take(scaled(*count), key_len + 10, budget);
            if let Some(c) = place(root, *at) {
                let key = padded_key(0, key_len);
                for i in 0..n {
                    insert(c, key.clone(), Node::Num(i as f64));
                }
            }
        }
        Bulk::AmbiguousZeros {
            at,
            count,
            first_negative,
        } => {
            let n = take(scaled(*count), 48, budget);
            let (x, y) = if *first_negative {
                (-0.0, 0.0)
            } else {
                (0.0, -0.0)
            };
            if let Some(c) = place(root, *at) {
                for i in 0..n {
                    let k = format!("z{i}");
                    let nested =
                        |inner: &str, v: f64| Node::Obj(vec![(inner.to_string(), Node::Num(v))]);
                    let (first, second) = match i % 4 {
                        0 => (
                            (format!("{k}.a"), Node::Num(x)),
                            (k.clone(), nested("a", y)),
                        ),
                        1 => (
                            (format!("{k}/a"), Node::Num(x)),
                            (k.clone(), nested("a", y)),
                        ),
                        2 => (
                            (format!("{k}~1"), Node::Num(x)),
                            (format!("{k}/"), Node::Num(y)),
                        ),
                        _ => (
                            (format!("{k}[0]"), Node::Num(x)),
                            (k.clone(), nested("0", y)),
                        ),
                    };
                    insert(c, first.0, first.1);
                    insert(c, second.0, second.1);
                }
            }
        }
        Bulk::ManyNumbers { at, count, start } => {
            let n = take(scaled(*count), 24, budget);
            let mut x = start.value(3.0);
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(Node::Num(x));
                x = finite_or(x.next_up(), x);
            }
            if let Some(c) = place(root, *at) {
                insert(c, "numbers".into(), Node::Arr(items));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::node::{identical, render, same_meaning};

    #[test]
    fn the_sample_and_the_vectors_build() {
        assert!(matches!(sample(), Node::Arr(ref a) if a.len() == 4));
        assert!(matches!(vector(999), Node::Arr(ref a) if a.len() == 4));
        let plain = Plan {
            base: Base::Sample,
            envelope: None,
            edits: Vec::new(),
            bulk: Vec::new(),
            style: Style::default(),
            budget: 0,
        };
        let text = render(&plain.build(), &plain.style);
        let back = json::parse(&text).unwrap().value;
        assert!(identical(&Node::from_json(&back), &sample()));
    }

    #[test]
    fn dotting_a_key_changes_the_meaning() {
        let mut t = Node::Obj(vec![(
            "ext".into(),
            Node::Obj(vec![("a".into(), Node::Num(-0.0))]),
        )]);
        let before = t.clone();
        apply(&mut t, &Edit::DotKey(0));
        assert!(matches!(&t, Node::Obj(es) if es[0].0 == "ext.a"));
        assert!(!same_meaning(&before, &t));
        apply(&mut t, &Edit::UndotKey(0));
        assert!(matches!(&t, Node::Obj(es) if es[0].0 == "ext"));
    }

    #[test]
    fn bulk_counts_are_clamped_to_the_budget() {
        let plan = Plan {
            base: Base::Sample,
            envelope: None,
            edits: Vec::new(),
            bulk: vec![
                Bulk::LongKey {
                    at: Place::Cluster(0),
                    len: u32::MAX,
                    values: u32::MAX,
                    value: Leaf::Tok(NonFinite::NaN),
                },
                Bulk::ManyKeys {
                    at: Place::Envelope,
                    count: u32::MAX,
                    key_len: 3,
                    value: Leaf::Null,
                },
            ],
            style: Style::default(),
            budget: 11,
        };
        let tree = plan.build();
        let n = tree.size_hint();
        assert!(
            n > MAX_GENERATED_BYTES / 2 && n < MAX_GENERATED_BYTES + 64 * 1024,
            "{n}"
        );
        assert_eq!(scaled(5), 0);
        assert_eq!(scaled(0x7000_0005), 5);
        assert_eq!(scaled(u32::MAX), 0x07FF_FFFF);
    }
}
