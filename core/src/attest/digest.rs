//! Canonical encoding (RFC 8785, JCS) and SHA-256 digests.
//!
//! Every digest this crate publishes is `hex(SHA-256(JCS(value)))`. JCS sorts object keys
//! by their UTF-16 code units and prints numbers as ECMAScript does, so the digest depends
//! on the meaning of a value, not on how a file happened to be formatted.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ComputationError;

/// The RFC 8785 encoding of a value.
///
/// # Errors
///
/// A [`ComputationError`] when the value cannot be encoded (a non-finite number).
pub fn canonical<T: Serialize>(value: &T) -> Result<Vec<u8>, ComputationError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| ComputationError {
        stage: "canonical encoding",
        reason: e.to_string(),
    })
}

/// `hex(SHA-256(JCS(value)))`.
///
/// # Errors
///
/// As [`canonical`].
pub fn of<T: Serialize>(value: &T) -> Result<String, ComputationError> {
    Ok(sha256_hex(&canonical(value)?))
}

/// `hex(SHA-256(plain JSON text))` of a value: unlike [`of`], it keeps every bit JCS
/// folds (the sign of zero), which is what INV-7.5 compares.
///
/// # Errors
///
/// A [`ComputationError`] when the value cannot be encoded (a non-finite number).
pub fn exact<T: Serialize>(value: &T) -> Result<String, ComputationError> {
    serde_json::to_vec(value)
        .map(|v| sha256_hex(&v))
        .map_err(|e| ComputationError {
            stage: "plain encoding",
            reason: e.to_string(),
        })
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jcs_sorts_keys_and_prints_numbers_like_ecmascript() {
        let v = serde_json::json!({"b": 1e-5, "a": [2.0, 1e21, 0.1], "é": "x"});
        let text = String::from_utf8(canonical(&v).unwrap()).unwrap();
        assert_eq!(text, r#"{"a":[2,1e+21,0.1],"b":0.00001,"é":"x"}"#);
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
