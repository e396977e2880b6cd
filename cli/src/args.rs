//! A small command-line parser: positionals, `--flag VALUE` / `--flag=VALUE`, switches.

use std::collections::BTreeMap;

/// Parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional arguments, in order.
    pub positional: Vec<String>,
    values: BTreeMap<String, Vec<String>>,
    switches: Vec<String>,
}

impl Args {
    /// Parses `args` knowing which options take a value and which are switches.
    ///
    /// # Errors
    ///
    /// An unknown option, or an option missing its value.
    pub fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Args, String> {
        let mut out = Args::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                out.positional.extend(args[i + 1..].iter().cloned());
                break;
            }
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if with_value.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            args.get(i)
                                .cloned()
                                .ok_or_else(|| format!("option --{name} needs a value"))?
                        }
                    };
                    out.values.entry(name.to_string()).or_default().push(value);
                } else if switches.contains(&name) && inline.is_none() {
                    out.switches.push(name.to_string());
                } else {
                    return Err(format!("unknown option --{name}"));
                }
            } else {
                out.positional.push(a.clone());
            }
            i += 1;
        }
        Ok(out)
    }

    /// The last value given for `--name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Whether the switch `--name` was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_switches_and_positionals() {
        let a = Args::parse(
            &strings(&[
                "in.json",
                "--out",
                "d",
                "--strict",
                "--evaluated-at=2026-01-01T00:00:00Z",
            ]),
            &["out", "evaluated-at"],
            &["strict"],
        )
        .unwrap();
        assert_eq!(a.positional, vec!["in.json"]);
        assert_eq!(a.value("out"), Some("d"));
        assert_eq!(a.value("evaluated-at"), Some("2026-01-01T00:00:00Z"));
        assert!(a.switch("strict"));
    }

    #[test]
    fn errors() {
        assert!(Args::parse(&strings(&["--nope"]), &[], &[]).is_err());
        assert!(Args::parse(&strings(&["--out"]), &["out"], &[]).is_err());
    }
}
