//! The binary's subcommands, run as a user or script would.

use std::io::Write;
use std::process::{Command, Stdio};

fn lianzhao(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lianzhao"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lianzhao");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn migrate_create_user_and_seed_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());

    let (ok, out) = lianzhao(&db, &["migrate"], None);
    assert!(ok, "{out}");

    let (ok, out) = lianzhao(
        &db,
        &["create-user", "--username", "ops", "--role", "admin", "--password-stdin"],
        Some("s3cret-pass\n"),
    );
    assert!(ok, "{out}");
    assert!(out.contains("Created user"));

    let (ok, out) = lianzhao(
        &db,
        &["create-user", "--username", "ops", "--role", "admin", "--password-stdin"],
        Some("s3cret-pass\n"),
    );
    assert!(!ok && out.contains("taken"), "{out}");

    let (ok, out) =
        lianzhao(&db, &["create-user", "--username", "x2", "--role", "king", "--password", "long-enough"], None);
    assert!(!ok && out.contains("role"), "{out}");

    let (ok, out) = lianzhao(&db, &["create-user", "--username", "x3", "--role", "staff", "--password", "short"], None);
    assert!(!ok && out.contains("at least 8"), "{out}");

    // A token for scripts, printed once.
    let (ok, out) = lianzhao(&db, &["create-token", "--username", "ops"], None);
    assert!(ok && out.trim().starts_with("lzk_") && out.trim().len() == 52, "{out}");
    let (ok, out) = lianzhao(&db, &["create-token", "--username", "nobody"], None);
    assert!(!ok && out.contains("no user"), "{out}");

    // Demo data goes only into an empty database.
    let (ok, out) = lianzhao(&db, &["seed-demo"], None);
    assert!(!ok, "{out}");
    let fresh = format!("sqlite://{}/demo.db?mode=rwc", dir.path().display());
    let (ok, out) = lianzhao(&fresh, &["seed-demo", "--leads", "120"], None);
    assert!(ok, "{out}");
    assert!(out.contains("admin") && out.contains("lianzhao2026"));
}

#[test]
fn help_documents_the_configuration() {
    let (ok, out) = lianzhao("sqlite::memory:", &["--help"], None);
    assert!(ok);
    for word in ["serve", "migrate", "seed-demo", "create-user", "DATABASE_URL", "LEPTOS_SITE_ADDR", "lianzhao.toml"] {
        assert!(out.contains(word), "--help lacks {word}");
    }
}

#[test]
fn import_a_csv_as_a_user_with_a_dry_run_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let (ok, out) =
        lianzhao(&db, &["create-user", "--username", "ops", "--role", "admin", "--password", "s3cret-pass"], None);
    assert!(ok, "{out}");
    let file = dir.path().join("线索.csv");
    std::fs::write(
        &file,
        "企业名称,所在地区,行业,计划投资（万元）\n南京甲科技有限公司,南京市江宁区,电子通信,1.5亿\n乙公司,火星,造船,很多\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();

    let (ok, out) = lianzhao(&db, &["import", path, "--as", "ops", "--dry-run"], None);
    assert!(ok, "{out}");
    assert!(out.contains("new 1") && out.contains("invalid 1") && out.contains("Dry run"), "{out}");
    assert!(out.contains("line 3") && out.contains("Unknown value: 造船"), "{out}");

    let (ok, out) = lianzhao(&db, &["import", path, "--as", "ops"], None);
    assert!(ok, "{out}");
    assert!(out.contains("created 1, updated 0, skipped 0, failed 1"), "{out}");
    assert!(dir.path().join("线索.failed.xlsx").exists(), "{out}");

    // Again: the lead now exists and is skipped.
    let (ok, out) = lianzhao(&db, &["import", path, "--as", "ops"], None);
    assert!(ok && out.contains("created 0, updated 0, skipped 1"), "{out}");
    let (ok, out) = lianzhao(&db, &["import", path, "--as", "nobody"], None);
    assert!(!ok && out.contains("no user"), "{out}");
}
