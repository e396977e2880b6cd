//! Replays fuzz inputs through a target's property and says how long each took, or, with
//! `--describe`, shows what they generate (the case, the generated size) without checking:
//! the triage tool for a crash, timeout or OOM a fuzz run found. With `--render DIR`, a
//! structured case's generated texts are written to `DIR/<file>.<name>` (see
//! `phase7_core::fuzzing::render_case`).
//!
//! ```sh
//! cargo run --release -p phase7-core --features fuzzing --example fuzz_replay -- \
//!     read_run_plan fuzz/artifacts/read_run_plan/timeout-…  [--describe] [--render DIR]
//! ```
use std::time::Instant;

use phase7_core::fuzzing::Target;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target) = args.first().and_then(|n| Target::parse(n)) else {
        eprintln!("usage: fuzz_replay TARGET FILE... [--describe]");
        std::process::exit(2);
    };
    let describe = args.iter().any(|a| a == "--describe");
    let render = args
        .iter()
        .position(|a| a == "--render")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let files: Vec<&String> = args[1..]
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            *a != "--describe" && *a != "--render" && (*i == 0 || args[*i] != "--render")
        })
        .map(|(_, a)| a)
        .collect();
    let mut failed = false;
    for file in files {
        let data = match std::fs::read(file) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        if let Some(dir) = &render {
            let base = std::path::Path::new(file)
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            for (name, text) in phase7_core::fuzzing::render_case(target, &data) {
                let path = std::path::Path::new(dir).join(format!("{base}.{name}"));
                if let Err(e) = std::fs::write(&path, &text) {
                    eprintln!("{}: {e}", path.display());
                    std::process::exit(1);
                }
                println!("wrote {} ({} bytes)", path.display(), text.len());
            }
            continue;
        }
        if describe {
            println!("{file}: {}", target.describe(&data));
            continue;
        }
        let t = Instant::now();
        let result = target.check(&data);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match result {
            Ok(()) => println!("{file}: ok ({ms:.1} ms)"),
            Err(v) => {
                failed = true;
                println!("{file}: VIOLATION ({ms:.1} ms): {v}");
            }
        }
    }
    std::process::exit(i32::from(failed));
}
