//! Bit-for-bit equality of two serializable values without writing their texts
//! (natively only): INV-7.5 compares a second evaluation's MacroScore with the first's
//! exact JSON text, and writing the second's text only to find it equal was about 4 % of
//! a batch line (`scripts/bench.sh`, the "batch --jsonl line" row, alternating builds).
//!
//! Two values whose derived `PartialEq` holds differ in their JSON text only where a
//! zero has another sign (`0.0 == -0.0`): strings, integers, booleans, options and
//! sequence lengths compare exactly, and equal non-zero floats have equal bits (a NaN is
//! never equal, so it goes to the text comparison). [`same_bits`] adds the signs of
//! every zero, in serialization order. A map's members must also come in the order its
//! `PartialEq` compares them, which holds for the vectors and `BTreeMap`s (and the
//! parsed [`crate::read::json::Json`]) of the values compared here
//! ([`crate::stages::macro_score::MacroScore`]), not for a `HashMap`; and every float
//! must be serialized as a number (`serialize_f64`), not as text made from it, which
//! also holds for them (their `Serialize` is derived, or writes vectors of members).
//!
//! In wasm the text comparison stays alone: this serializer would cost the npm package
//! size its budget does not have (issue 9, "Sizes").

use std::fmt;

use serde::ser::{self, Serialize};

/// True when `a` and `b` would be written as the same JSON text: equal by `PartialEq`,
/// with the same sign on every zero. False also when they might differ otherwise (a
/// NaN): the caller then compares their texts.
pub(crate) fn same_bits<T: Serialize + PartialEq>(a: &T, b: &T) -> bool {
    a == b && signs(a) == signs(b)
}

/// The sign of every zero among a value's numbers, in serialization order (`None` if
/// the value cannot be walked, which the callers treat as "compare the texts").
fn signs<T: Serialize>(v: &T) -> Option<Vec<bool>> {
    let mut s = Signs(Vec::new());
    v.serialize(&mut s).ok().map(|()| s.0)
}

struct Signs(Vec<bool>);

#[derive(Debug)]
struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not walked")
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

impl Signs {
    fn number(&mut self, x: f64) -> Result<(), Refused> {
        if x == 0.0 {
            self.0.push(x.is_sign_negative());
        }
        Ok(())
    }
}

/// Methods that see nothing a zero's sign could hide in.
macro_rules! nothing {
    ($($name:ident($t:ty)),* $(,)?) => {
        $(fn $name(self, _: $t) -> Result<(), Refused> { Ok(()) })*
    };
}

impl ser::Serializer for &mut Signs {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    nothing!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );
    fn serialize_f32(self, v: f32) -> Result<(), Refused> {
        self.number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Refused> {
        self.number(v)
    }
    fn serialize_none(self) -> Result<(), Refused> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Refused> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Refused> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Refused> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Refused> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Refused> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Refused> {
        Ok(self)
    }
}

/// The compounds: each element, field or entry walked in turn.
macro_rules! walk {
    ($($tr:ident :: $method:ident $(($key:ty))?),* $(,)?) => {
        $(impl ser::$tr for &mut Signs {
            type Ok = ();
            type Error = Refused;
            fn $method<T: Serialize + ?Sized>(&mut self, $(_: $key,)? v: &T) -> Result<(), Refused> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Refused> {
                Ok(())
            }
        })*
    };
}

walk!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
    SerializeStruct::serialize_field(&'static str),
    SerializeStructVariant::serialize_field(&'static str),
);

impl ser::SerializeMap for &mut Signs {
    type Ok = ();
    type Error = Refused;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Refused> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Refused> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Refused> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Clone, PartialEq, Serialize)]
    struct Inner {
        x: f64,
        v: Vec<f64>,
        o: Option<f64>,
        t: (f64, String),
    }

    #[test]
    fn equal_values_with_other_zero_signs_are_not_the_same_bits() {
        let a = Inner {
            x: 0.0,
            v: vec![1.5, 0.0, -2.0],
            o: Some(0.0),
            t: (0.0, "s".into()),
        };
        assert!(same_bits(&a, &a.clone()));
        for flip in 0..4 {
            let mut b = a.clone();
            match flip {
                0 => b.x = -0.0,
                1 => b.v[1] = -0.0,
                2 => b.o = Some(-0.0),
                _ => b.t.0 = -0.0,
            }
            assert!(a == b, "PartialEq does not see the sign");
            assert!(!same_bits(&a, &b), "flip {flip}");
            assert_ne!(
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap()
            );
        }
        let mut nan = a.clone();
        nan.x = f64::NAN;
        assert!(!same_bits(&nan, &nan.clone()), "a NaN goes to the texts");
        let mut one_ulp = a.clone();
        one_ulp.v[0] = f64::from_bits(1.5f64.to_bits() + 1);
        assert!(!same_bits(&a, &one_ulp));
    }

    #[test]
    fn a_zero_in_a_map_or_a_parsed_document_is_seen() {
        let m = std::collections::BTreeMap::from([("a", 0.0), ("b", 1.0)]);
        assert!(same_bits(&m, &m.clone()));
        let mut n = m.clone();
        n.insert("a", -0.0);
        assert!(!same_bits(&m, &n));
        let j = crate::read::json::parse(br#"{"x": [0.0, {"y": 0.0}]}"#)
            .unwrap()
            .value;
        let k = crate::read::json::parse(br#"{"x": [0.0, {"y": -0.0}]}"#)
            .unwrap()
            .value;
        assert!(j == k && !same_bits(&j, &k));
        assert!(same_bits(&j, &j.clone()));
    }

    /// On the vectors' MacroScores: the same bits exactly when the texts are the same.
    #[test]
    fn agrees_with_the_texts_on_macro_scores() {
        let vectors = include_str!("../../tests/fixtures/phase7_public.jsonl");
        for line in vectors.lines().take(200) {
            let start = "{\"phase6\": ".len();
            let end = line.rfind(", \"expected\": ").unwrap();
            let r = crate::phase::run(&line.as_bytes()[start..end], &Default::default());
            let Ok(r) = r else { continue };
            let a = r.macro_score;
            let mut b = a.clone();
            assert!(same_bits(&a, &b));
            b.score_std = -b.score_std;
            let texts_same =
                serde_json::to_string(&a).unwrap() == serde_json::to_string(&b).unwrap();
            assert_eq!(same_bits(&a, &b), texts_same);
        }
    }
}
