//! What the kill -9 tests share (`crash.rs`, `crash_mail.rs`): running a `lianzhao` command to
//! its end, and the random moments of the kills.

use std::process::Command;

/// Runs `lianzhao ARGS` on `db` to its end and returns what it printed; panics when it fails.
pub fn lianzhao(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lianzhao"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .output()
        .expect("run lianzhao");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "lianzhao {args:?}: {text}");
    text
}

/// A small deterministic generator for the kill moments (xorshift), seeded by the clock and
/// printed, so a failing round can be replayed with `LZ_CRASH_SEED`.
pub struct Moments(pub u64);

impl Moments {
    pub fn next_ms(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        lo + self.0 % (hi - lo)
    }
}

/// The seed of the kill moments: `LZ_CRASH_SEED`, or the clock's nanoseconds (printed by the
/// tests, so a failing round can be replayed).
pub fn seed() -> u64 {
    std::env::var("LZ_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
    }) | 1
}
