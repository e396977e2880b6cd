//! Checkpoints: after each of the eight stages, the results so far and digests that tie
//! them to one input and one configuration.
//!
//! Format `phase7-checkpoint/1` (JSON): `{format, stage, stage_index, input_digest,
//! config_digest, progress, digest}` where `digest` is the hex SHA-256 of the compact
//! serde_json encoding of every other field, in that order. serde_json writes each f64
//! in a form that reads back to the same bits (the sign of zero included), so a resumed
//! run continues with exactly the numbers it stopped with. A checkpoint whose digest does
//! not match (corrupted) or whose input/configuration digest differs (foreign) is
//! reported and skipped, never trusted. Storage (temp file, fsync, rename) belongs to the
//! caller.

use serde::{Deserialize, Serialize};

use crate::attest::digest;
use crate::read::json::Shown;
use crate::stages::{Progress, Stage};

/// The format tag.
pub const FORMAT: &str = "phase7-checkpoint/1";

/// One checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`FORMAT`].
    pub format: String,
    /// The stage just completed.
    pub stage: Stage,
    /// Its position, 1..=8.
    pub stage_index: usize,
    /// Digest of the input (JCS/SHA-256 of the parsed document).
    pub input_digest: String,
    /// Digest of the configuration.
    pub config_digest: String,
    /// Stage results so far.
    pub progress: Progress,
    /// SHA-256 of the fields above.
    pub digest: String,
}

#[derive(Serialize)]
struct Body<'a> {
    format: &'a str,
    stage: Stage,
    stage_index: usize,
    input_digest: &'a str,
    config_digest: &'a str,
    progress: &'a Progress,
}

/// Why a checkpoint was not used. Text taken from the file (a field, serde_json's
/// message quoting a value) is cut as input text is in every message
/// ([`Shown`]: `"aaaa…" (N bytes)`), so a hostile checkpoint of the size limit gives a
/// warning of a few hundred bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// Not a checkpoint at all (bad JSON, wrong format tag or shape).
    #[error("unreadable checkpoint: {0}")]
    Unreadable(String),
    /// The digest does not match the content.
    #[error("corrupted checkpoint: digest {actual} does not match the content ({expected})")]
    Corrupted {
        /// Digest recomputed from the content.
        expected: String,
        /// Digest recorded in the file (cut when long).
        actual: String,
    },
    /// It belongs to another input or configuration.
    #[error("foreign checkpoint: made for {field} {actual}, this run has {expected}")]
    Foreign {
        /// `input_digest` or `config_digest`.
        field: &'static str,
        /// This run's digest.
        expected: String,
        /// The checkpoint's (cut when long).
        actual: String,
    },
    /// The stage results do not reach the stage it claims.
    #[error("inconsistent checkpoint: claims {claimed} but holds results up to {held}")]
    Inconsistent {
        /// The stage it claims.
        claimed: String,
        /// The last stage it holds.
        held: String,
    },
    /// It holds a result no run gives (code `CHECKPOINT_INCONSISTENT` too).
    #[error("inconsistent checkpoint: {0}")]
    Impossible(String),
}

/// What a checkpoint holds that no run gives: a gap area other than the composition's
/// (PA01..PA10), or one twice.
fn impossible_gap(progress: &Progress) -> Option<String> {
    let areas = &progress.gaps.as_ref()?.areas;
    // The ten areas of the four compositions (`ClusterId::areas`), PA01..PA10, told by
    // their form (calling `areas` here moves the inlining in the wasm, which never reads
    // checkpoints).
    let known = |a: &str| {
        a.len() == 4
            && a.starts_with("PA")
            && a[2..].bytes().all(|b| b.is_ascii_digit())
            && matches!(a[2..].parse::<u8>(), Ok(1..=10))
    };
    // Stops at the first area that is unknown or repeated: at most ten pass.
    areas.iter().enumerate().find_map(|(i, (a, _))| {
        if !known(a) {
            Some(format!(
                "gap area {} is not one of PA01..PA10",
                Shown::of(a).quoted()
            ))
        } else if areas[..i].iter().any(|(b, _)| b == a) {
            Some(format!("gap area {a} is listed twice"))
        } else {
            None
        }
    })
}

impl CheckpointError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CheckpointError::Unreadable(_) => "CHECKPOINT_UNREADABLE",
            CheckpointError::Corrupted { .. } => "CHECKPOINT_CORRUPTED",
            CheckpointError::Foreign { .. } => "CHECKPOINT_FOREIGN",
            CheckpointError::Inconsistent { .. } | CheckpointError::Impossible(_) => {
                "CHECKPOINT_INCONSISTENT"
            }
        }
    }
}

fn body_digest(b: &Body<'_>) -> String {
    // Serializing plain structs of finite numbers and strings cannot fail; an empty
    // digest would only make the checkpoint fail verification, never pass it.
    let mut v = Vec::with_capacity(1024);
    digest::compact(b, &mut v)
        .map(|()| digest::sha256_hex(&v))
        .unwrap_or_default()
}

impl Checkpoint {
    /// A checkpoint after `stage`.
    pub fn new(stage: Stage, input_digest: &str, config_digest: &str, progress: &Progress) -> Self {
        let body = Body {
            format: FORMAT,
            stage,
            stage_index: stage.number(),
            input_digest,
            config_digest,
            progress,
        };
        Checkpoint {
            format: FORMAT.into(),
            stage,
            stage_index: stage.number(),
            input_digest: input_digest.into(),
            config_digest: config_digest.into(),
            progress: progress.clone(),
            digest: body_digest(&body),
        }
    }

    /// The file name the CLI uses for the checkpoint of `input_digest` after `stage`:
    /// `checkpoint-<input_digest>-03-STAGE_QUALITY_CLASSIFICATION.json`, so that the
    /// checkpoints of two inputs never share a name.
    pub fn file_name(input_digest: &str, stage: Stage) -> String {
        format!(
            "checkpoint-{input_digest}-{:02}-{}.json",
            stage.number(),
            stage.name()
        )
    }

    /// The JSON text to store.
    pub fn encode(&self) -> String {
        digest::pretty_string(self).unwrap_or_default() + "\n"
    }

    /// Reads and checks a stored checkpoint against this run's digests.
    ///
    /// # Errors
    ///
    /// A [`CheckpointError`] saying why it cannot be used.
    pub fn decode(
        bytes: &[u8],
        input_digest: &str,
        config_digest: &str,
    ) -> Result<Checkpoint, CheckpointError> {
        let cp: Checkpoint = serde_json::from_slice(bytes).map_err(unreadable)?;
        if cp.format != FORMAT {
            return Err(CheckpointError::Unreadable(format!(
                "format {}, expected {}",
                Shown::of(&cp.format).quoted(),
                crate::quote::string(FORMAT)
            )));
        }
        let recomputed = body_digest(&Body {
            format: &cp.format,
            stage: cp.stage,
            stage_index: cp.stage_index,
            input_digest: &cp.input_digest,
            config_digest: &cp.config_digest,
            progress: &cp.progress,
        });
        if recomputed != cp.digest || cp.stage_index != cp.stage.number() {
            return Err(CheckpointError::Corrupted {
                expected: recomputed,
                actual: Shown::of(&cp.digest).to_string(),
            });
        }
        if cp.input_digest != input_digest {
            return Err(CheckpointError::Foreign {
                field: "input_digest",
                expected: input_digest.into(),
                actual: Shown::of(&cp.input_digest).to_string(),
            });
        }
        if cp.config_digest != config_digest {
            return Err(CheckpointError::Foreign {
                field: "config_digest",
                expected: config_digest.into(),
                actual: Shown::of(&cp.config_digest).to_string(),
            });
        }
        if cp.progress.input_digest != cp.input_digest {
            return Err(CheckpointError::Inconsistent {
                claimed: cp.stage.name().into(),
                held: "results of another input".into(),
            });
        }
        // Re-sealed results no run gives (millions of gap areas, or one of megabytes)
        // would fail the output contract with every one of them in its message, audit
        // trail and refusal record: refused here, in a few words.
        if let Some(what) = impossible_gap(&cp.progress) {
            return Err(CheckpointError::Impossible(what));
        }
        let needed = cp.stage.min(Stage::UncertaintyPropagation);
        let held = cp.progress.last_stage();
        if held.is_none_or(|h| h < needed) {
            return Err(CheckpointError::Inconsistent {
                claimed: cp.stage.name().into(),
                held: held.map_or("nothing", Stage::name).into(),
            });
        }
        Ok(cp)
    }
}

/// serde_json's message, which quotes the offending value whole (an unknown `stage` of
/// megabytes): kept when at most 256 bytes, else cut like input text, with where it is.
fn unreadable(e: serde_json::Error) -> CheckpointError {
    let text = e.to_string();
    CheckpointError::Unreadable(if text.len() <= 256 {
        text
    } else {
        format!(
            "{} at line {} column {}",
            Shown::of(&text),
            e.line(),
            e.column()
        )
    })
}

/// Picks the latest usable checkpoint among stored files offered one at a time, so that
/// a store can read, offer and drop each file in turn (never holding them all).
#[derive(Debug, Default)]
pub struct Latest {
    /// The usable checkpoint of the latest stage so far.
    pub best: Option<Checkpoint>,
    /// The names of every usable file (the chosen one included).
    pub usable: Vec<String>,
    /// The files not used, with why.
    pub skipped: Vec<(String, CheckpointError)>,
}

impl Latest {
    /// Decodes one stored file ([`Checkpoint::decode`]) and keeps it when it is usable
    /// and of a later stage than the best so far.
    pub fn offer(&mut self, name: String, bytes: &[u8], input_digest: &str, config_digest: &str) {
        match Checkpoint::decode(bytes, input_digest, config_digest) {
            Ok(cp) => {
                self.usable.push(name);
                if self.best.as_ref().is_none_or(|b| cp.stage > b.stage) {
                    self.best = Some(cp);
                }
            }
            Err(e) => self.skipped.push((name, e)),
        }
    }
}

/// Picks the latest usable checkpoint among stored files, reporting every one skipped
/// ([`Latest`] over all of them).
pub fn latest_valid(
    files: &[(String, Vec<u8>)],
    input_digest: &str,
    config_digest: &str,
) -> (Option<Checkpoint>, Vec<(String, CheckpointError)>) {
    let mut latest = Latest::default();
    for (name, bytes) in files {
        latest.offer(name.clone(), bytes, input_digest, config_digest);
    }
    (latest.best, latest.skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::aggregate::{Gaps, Severity};

    fn progress() -> Progress {
        Progress {
            input_digest: "a".repeat(64),
            ..Progress::default()
        }
    }

    #[test]
    fn round_trip_and_tamper_detection() {
        let cp = Checkpoint::new(Stage::InputValidation, &"a".repeat(64), "c", &progress());
        let text = cp.encode();
        assert_eq!(
            Checkpoint::decode(text.as_bytes(), &"a".repeat(64), "c"),
            Ok(cp.clone())
        );
        let tampered = text.replacen("STAGE_INPUT_VALIDATION", "STAGE_WEIGHTED_SCORE", 1);
        assert_eq!(
            Checkpoint::decode(tampered.as_bytes(), &"a".repeat(64), "c").map_err(|e| e.code()),
            Err("CHECKPOINT_CORRUPTED")
        );
        assert_eq!(
            Checkpoint::decode(text.as_bytes(), &"b".repeat(64), "c").map_err(|e| e.code()),
            Err("CHECKPOINT_FOREIGN")
        );
        assert_eq!(
            Checkpoint::decode(b"{", "x", "c").map_err(|e| e.code()),
            Err("CHECKPOINT_UNREADABLE")
        );
    }

    #[test]
    fn resealed_gap_areas_no_run_gives_are_refused_in_a_few_words() {
        let digest = "a".repeat(64);
        let sealed = |areas: Vec<(String, Severity)>| {
            let p = Progress {
                gaps: Some(Gaps { areas }),
                ..progress()
            };
            Checkpoint::new(Stage::GapDetection, &digest, "c", &p).encode()
        };
        let decode = |text: String| Checkpoint::decode(text.as_bytes(), &digest, "c");
        let ok = vec![("PA05".to_string(), Severity::Moderate)];
        assert!(
            decode(sealed(ok)).is_err_and(|e| e.code() == "CHECKPOINT_INCONSISTENT"
                && e.to_string().contains("holds results up to"))
        );
        let long = vec![("X".repeat(1 << 20), Severity::Critical)];
        let e = decode(sealed(long)).unwrap_err();
        assert_eq!(e.code(), "CHECKPOINT_INCONSISTENT");
        assert!(
            e.to_string()
                .ends_with("…\" (1048576 bytes) is not one of PA01..PA10"),
            "{e}"
        );
        assert!(e.to_string().len() < 200);
        // The form test knows exactly the ten areas of the compositions.
        let all: Vec<(String, Severity)> = crate::model::ClusterId::ALL
            .iter()
            .flat_map(|c| c.areas())
            .map(|a| (a.to_string(), Severity::Severe))
            .collect();
        assert_eq!(all.len(), 10);
        let with = |areas| Progress {
            gaps: Some(Gaps { areas }),
            ..progress()
        };
        assert_eq!(impossible_gap(&with(all)), None);
        for odd in ["PA+1", "PA00", "PA11", "pa01", "PA1", "PA001", "PAx1"] {
            assert!(
                impossible_gap(&with(vec![(odd.into(), Severity::Severe)]))
                    .is_some_and(|w| w.ends_with("is not one of PA01..PA10")),
                "{odd}"
            );
        }
        let many: Vec<(String, Severity)> = (0..100_000)
            .map(|i| (format!("PA{:02}", i % 10 + 1), Severity::Critical))
            .collect();
        let e = decode(sealed(many)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "inconsistent checkpoint: gap area PA01 is listed twice"
        );
    }
}
