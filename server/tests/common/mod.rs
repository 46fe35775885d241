//! What the server's process tests share: starting `lianzhao serve` as a child process.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// Starts `lianzhao serve` on `db` (a free port, no scheduled mail, `env` added) and returns the
/// child and the address it runs at (`127.0.0.1:PORT`), once it has said where it runs (a log
/// line may come before that). Panics when it never says so.
pub fn serve(db: &str, env: &[(&str, &str)]) -> (Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_lianzhao"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LZ_SCHEDULED_MAIL", "false")
        .env("RUST_LOG", "error")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run lianzhao serve");
    let mut lines = std::io::BufReader::new(server.stdout.take().expect("stdout")).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .take(50)
        .find_map(|line| line.split("http://").nth(1).map(|a| a.trim().trim_end_matches('/').to_string()));
    match addr {
        Some(addr) => (server, addr),
        None => {
            let _ = server.kill();
            panic!("lianzhao serve did not say where it runs");
        }
    }
}
