//! The binary's subcommands, run as a user or script would.

mod common;

use common::serve;
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

/// Waits for `done` to hold, up to 60 s.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "gave up waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Backups taken while the app serves and an import writes hold that import all or not at all;
/// restore refuses while the app runs, then puts a backup in place of the database, keeping the
/// old one; the daily backup (`LZ_BACKUP_DIR`) writes one at start and keeps the newest
/// `LZ_BACKUP_KEEP`.
#[test]
fn backup_while_serving_and_importing_then_restore() {
    use lianzhao_server::backup::check;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let contents = |file: &std::path::Path| runtime.block_on(check(file)).unwrap_or_else(|e| panic!("{e:#}"));
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let db = format!("sqlite://{}?mode=rwc", live.display());
    let (ok, out) = lianzhao(&db, &["seed-demo", "--leads", "200"], None);
    assert!(ok, "{out}");
    let daily = dir.path().join("daily");
    std::fs::create_dir_all(&daily).unwrap();
    for day in ["20240101", "20240102", "20240103"] {
        std::fs::write(daily.join(format!("lianzhao-{day}-0300.db")), b"an old backup").unwrap();
    }
    // Made by hand: neither counted as a daily backup nor deleted.
    let by_hand = daily.join("lianzhao-升级前.db");
    std::fs::write(&by_hand, b"kept by hand").unwrap();

    let (mut server, _) = serve(&db, &[("LZ_BACKUP_DIR", daily.to_str().unwrap()), ("LZ_BACKUP_KEEP", "2")]);

    // The daily backup is written at start; the oldest beyond two go.
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&daily)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into())
            .filter(|n: &String| !n.contains("升级前"))
            .collect();
        names.sort();
        names
    };
    wait_for("the daily backup", || listing().len() == 2 && !listing()[1].starts_with("lianzhao-2024"));
    let names = listing();
    assert_eq!(names[0], "lianzhao-20240103-0300.db", "{names:?}");
    let started = contents(&daily.join(&names[1]));

    // An import of 3,000 leads runs while backups are taken.
    let csv = dir.path().join("import.csv");
    let mut text = String::from("企业名称,所在地区,行业,计划投资（万元）\n");
    for i in 0..3000 {
        text.push_str(&format!("备份测试{i}号科技有限公司,南京市江宁区,电子通信,{}\n", 1000 + i));
    }
    std::fs::write(&csv, text).unwrap();
    let mut import = Command::new(env!("CARGO_BIN_EXE_lianzhao"))
        .args(["import", csv.to_str().unwrap(), "--as", "admin"])
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run lianzhao import");
    let mut taken = Vec::new();
    loop {
        let running = import.try_wait().unwrap().is_none();
        let file = dir.path().join(format!("backup-{}.db", taken.len()));
        let (ok, out) = lianzhao(&db, &["backup", file.to_str().unwrap()], None);
        assert!(ok && out.contains("integrity ok"), "{out}");
        taken.push(file);
        if !running {
            break;
        }
    }
    assert!(import.wait().unwrap().success());
    for file in &taken {
        let c = contents(file);
        assert!(c.leads == started.leads || c.leads == started.leads + 3000, "{}: {c:?}", file.display());
    }
    let last = taken.last().unwrap();
    assert_eq!(contents(last).leads, started.leads + 3000);
    let (ok, out) = lianzhao(&db, &["backup", last.to_str().unwrap()], None);
    assert!(!ok && out.contains("exists already"), "{out}");

    // Not under a running app.
    let (ok, out) = lianzhao(&db, &["restore", taken[0].to_str().unwrap()], None);
    assert!(!ok && out.contains("stop it"), "{out}");
    server.kill().unwrap();
    server.wait().unwrap();

    // On a fresh instance, and over the old database (which is kept).
    let fresh = format!("sqlite://{}/fresh/lianzhao.db?mode=rwc", dir.path().display());
    let (ok, out) = lianzhao(&fresh, &["restore", last.to_str().unwrap()], None);
    assert!(ok, "{out}");
    assert_eq!(contents(&dir.path().join("fresh/lianzhao.db")), contents(last));
    let live_before = contents(&live);
    let (ok, out) = lianzhao(&db, &["restore", &daily.join(&names[1]).to_string_lossy()], None);
    assert!(ok && out.contains("kept as"), "{out}");
    assert_eq!(contents(&live), started);
    let kept_files = || -> Vec<std::path::PathBuf> {
        let mut kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                name.starts_with("live.db.before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
            })
            .collect();
        kept.sort();
        kept
    };
    let kept = kept_files();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(contents(&kept[0]), live_before);
    // At once again (the same second, as a double Enter would): the first kept copy stays.
    let (ok, out) = lianzhao(&db, &["restore", last.to_str().unwrap()], None);
    assert!(ok, "{out}");
    let kept = kept_files();
    assert_eq!(kept.len(), 2, "{kept:?}");
    let contents_kept: Vec<_> = kept.iter().map(|k| contents(k)).collect();
    assert!(contents_kept.contains(&live_before) && contents_kept.contains(&started), "{contents_kept:?}");
    let (ok, out) = lianzhao(&db, &["restore", &daily.join(&names[1]).to_string_lossy()], None);
    assert!(ok, "{out}");
    // The restored database serves again; SIGTERM (systemctl stop) stops the app cleanly.
    let (mut again, _) = serve(&db, &[]);
    assert!(Command::new("kill").args(["-TERM", &again.id().to_string()]).status().unwrap().success());
    let stopped = again.wait().unwrap();
    assert!(stopped.success(), "stopped by SIGTERM: {stopped:?}");
    assert_eq!(contents(&live), started);

    // Not a backup: refused, nothing replaced.
    let (ok, out) = lianzhao(&db, &["restore", csv.to_str().unwrap()], None);
    assert!(!ok && out.contains("SQLite"), "{out}");
    assert_eq!(contents(&live), started);
    assert_eq!(std::fs::read(&by_hand).unwrap(), b"kept by hand");
}

/// The short form of L1/L3 (`make hardening` runs them at 100,000 leads for 10 minutes): the
/// office's mix of pages, lists, saves, stage moves and files at 20 people, then the same while
/// an import and a rescore run; every request of every route is answered 2xx (or 409 for a save
/// whose lead changed meanwhile), and each route was asked.
#[test]
fn an_office_day_of_load_is_answered_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/office.db?mode=rwc", dir.path().display());
    let (ok, out) =
        lianzhao(&db, &["bench", "--leads", "1500", "--office-only", "--users", "20", "--office-seconds", "12"], None);
    assert!(ok, "{out}");
    let tables: Vec<&str> = out.split("\n7. L3").collect();
    assert_eq!(tables.len(), 2, "{out}");
    for table in &tables {
        let all = table.lines().find(|l| l.starts_with("all ")).unwrap_or_else(|| panic!("no totals: {out}"));
        assert!(all.contains(" 0 errors"), "{all}\n{out}");
        let requests: usize = all.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
        assert!(requests > 0, "nothing was asked: {all}");
    }
    // Each route of the mix in L1 (a person does 4–8 things in 12 s: 20 people cover them all).
    for route in
        ["GET /leads (filters)", "GET /leads/:id", "PATCH /api/v1/leads/:id", "POST pipeline/move", "GET /kanban"]
    {
        assert!(tables[0].lines().any(|l| l.starts_with(route)), "{route} never asked:\n{out}");
    }
    assert!(out.contains("1500 created"), "the import during L3 created its rows:\n{out}");
}
