//! F1 for mail: `kill -9` the server at random moments while its queue goes to an SMTP relay (a
//! small one here, which answers 250 a moment after taking each message): every message arrives,
//! and each kill sends at most the one in flight again (the relay took it, the app never
//! recorded the 250: SMTP is "at least once" across a crash; the copy has the same Message-ID).
//! `LZ_CRASH_ROUNDS` rounds (3 in `make test`, 100 in `make hardening`).

mod common;
#[path = "common/kills.rs"]
mod kills;

use common::serve;
use kills::{lianzhao, Moments};
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
/// A tiny SMTP relay on threads: it keeps the Message-ID of each message it takes, then waits
/// `delay` before answering 250 (a kill meanwhile leaves the sender not knowing it was taken).
struct Relay {
    port: u16,
    taken: Arc<Mutex<Vec<String>>>,
    /// Sessions accepted and not yet ended.
    open: Arc<AtomicUsize>,
}

impl Relay {
    /// Waits (at most 10 s) until every session has ended. After a kill, the relay may still be
    /// reading a message the server wrote whole just before it died: counted only once its
    /// session ends, it would otherwise show up as taken in the next round.
    fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.open.load(Ordering::SeqCst) > 0 {
            assert!(Instant::now() < deadline, "the relay's sessions did not end after the kill");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn relay(delay: Duration) -> Relay {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the relay");
    let port = listener.local_addr().expect("relay address").port();
    let taken: Arc<Mutex<Vec<String>>> = Arc::default();
    let open: Arc<AtomicUsize> = Arc::default();
    let (keep, count) = (taken.clone(), open.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (keep, count) = (keep.clone(), count.clone());
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let _ = relay_session(stream, &keep, delay);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Relay { port, taken, open }
}

fn relay_session(stream: TcpStream, keep: &Mutex<Vec<String>>, delay: Duration) -> std::io::Result<()> {
    use std::io::BufRead;
    let mut write = stream.try_clone()?;
    let mut lines = std::io::BufReader::new(stream);
    write.write_all(b"220 relay.test ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        match line.split_whitespace().next().unwrap_or("").to_ascii_uppercase().as_str() {
            "EHLO" => write.write_all(b"250-relay.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?,
            "DATA" => {
                write.write_all(b"354 go ahead\r\n")?;
                let mut id = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Message-ID:") {
                        id = value.trim().to_string();
                    }
                }
                keep.lock().expect("relay lock").push(id);
                std::thread::sleep(delay);
                write.write_all(b"250 queued\r\n")?
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => write.write_all(b"250 OK\r\n")?,
        }
    }
}

/// Queues `count` messages numbered from `first` (each with its own Message-ID), due now.
fn queue_mail(file: &std::path::Path, first: usize, count: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use app::backend::entities::mail;
        use sea_orm::{EntityTrait, Set};
        let db = app::backend::db::connect(&format!("sqlite://{}", file.display())).await.expect("open");
        let now = chrono::Utc::now();
        let rows = (first..first + count).map(|i| mail::ActiveModel {
            kind: Set("f1".into()),
            to_addr: Set("to@relay.test".into()),
            from_addr: Set("from@relay.test".into()),
            subject: Set(format!("F1 {i}")),
            raw: Set(format!(
                "From: from@relay.test\r\nTo: to@relay.test\r\nSubject: F1 {i}\r\nMessage-ID: <f1-{i}@relay.test>\r\n\r\n第{i}封\r\n"
            )),
            status: Set("queued".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        });
        mail::Entity::insert_many(rows).exec(&db).await.expect("queue mail");
        db.close().await.expect("close");
    })
}

/// How many of the test's messages are not sent yet.
fn mail_left(file: &std::path::Path) -> i64 {
    count_mail(file, "status <> 'sent'")
}

/// How many of the test's messages the app has recorded as sent.
fn mail_sent(file: &std::path::Path) -> i64 {
    count_mail(file, "status = 'sent'")
}

/// How many of the test's messages match `condition` (SQL).
fn count_mail(file: &std::path::Path, condition: &str) -> i64 {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = app::backend::db::connect(&format!("sqlite://{}", file.display())).await.expect("open");
        let sql = format!("SELECT count(*) FROM mail_queue WHERE kind = 'f1' AND {condition}");
        let row = db.query_one(Statement::from_string(DbBackend::Sqlite, sql)).await.expect("count").expect("a row");
        let left: i64 = row.try_get_by_index(0).expect("count");
        db.close().await.expect("close");
        left
    })
}

/// F1 for mail: `kill -9` while the queue is being delivered to a relay. SMTP cannot send a
/// message exactly once across a crash: a message the relay took just before the kill, whose
/// answer the app never recorded, goes again once its lease is over (with the same Message-ID,
/// which mail clients show once). So: every message arrives, and a kill sends at most one again.
#[test]
fn killed_while_mailing_every_message_arrives_and_only_the_one_in_flight_goes_again() {
    const PER_ROUND: usize = 25;
    let rounds: usize = std::env::var("LZ_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let seed = kills::seed();
    let mut moments = Moments(seed);
    let relay = relay(Duration::from_millis(20));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("mail.db");
    let db = format!("sqlite://{}?mode=rwc", file.display());
    lianzhao(&db, &["migrate"]);
    let port = relay.port.to_string();
    let env = [
        ("LZ_SMTP_HOST", "127.0.0.1"),
        ("LZ_SMTP_PORT", port.as_str()),
        ("LZ_SMTP_SECURITY", "none"),
        // Short, so the message in flight at a kill goes again soon; a send may take 1 s.
        ("LZ_MAIL_LEASE_SECS", "2"),
        // A send that fails (the relay slowed past half a lease by a busy machine) is tried again
        // a second later, not after the default minute past this test's deadline.
        ("LZ_MAIL_RETRY_SECS", "1"),
        ("LZ_JOB_INTERVAL_MS", "100"),
    ];
    let started = Instant::now();
    let mut unrecorded = 0i64;
    for round in 0..rounds {
        queue_mail(&file, round * PER_ROUND, PER_ROUND);
        let (mut server, _) = serve(&db, &env);
        std::thread::sleep(Duration::from_millis(moments.next_ms(400, 2500)));
        server.kill().expect("kill the server");
        server.wait().expect("reap the server");
        relay.settle();
        // What will go again: the messages the relay took that the app has not recorded as
        // sent. Each kill adds at most the one in flight (those of earlier kills may still be
        // waiting for their lease to run out, or have gone again and been recorded meanwhile).
        let taken: std::collections::HashSet<String> =
            relay.taken.lock().expect("relay lock").iter().cloned().collect();
        let now = taken.len() as i64 - mail_sent(&file);
        assert!(
            now <= unrecorded + 1,
            "round {round} (seed {seed}): {now} taken by the relay but not recorded, {unrecorded} before this round"
        );
        unrecorded = now;
    }
    let before_last_start = relay.taken.lock().expect("relay lock").len();
    assert!(before_last_start > 0, "nothing was sent between the kills (seed {seed})");
    // One more start delivers what is left (the leases of the last kill run out first).
    let (mut server, _) = serve(&db, &env);
    let deadline = Instant::now() + Duration::from_secs(60);
    while mail_left(&file) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(mail_left(&file), 0, "messages not sent within a minute (seed {seed})");

    let taken = relay.taken.lock().expect("relay lock").clone();
    let total = rounds * PER_ROUND;
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for id in &taken {
        *counts.entry(id.clone()).or_default() += 1;
    }
    let missing: Vec<usize> = (0..total).filter(|i| !counts.contains_key(&format!("<f1-{i}@relay.test>"))).collect();
    assert!(missing.is_empty(), "seed {seed}: never arrived: {missing:?}");
    assert_eq!(counts.len(), total, "seed {seed}: messages the test did not queue: {counts:?}");
    // Each kill leaves at most the one message in flight to go again (the same one may be in
    // flight at two kills in a row).
    let again = taken.len() - total;
    let most = counts.values().max().copied().unwrap_or(0);
    assert!(again <= rounds, "seed {seed}: {again} sent again after {rounds} kills: {counts:?}");
    println!(
        "F1 mail: {rounds} kill -9 rounds (seed {seed}) in {:.0} s while {total} messages went to a relay: each arrived; \
         {again} sends again (the message the relay had taken as the kill came; at most one per kill), \
         the most copies of one message {most}",
        started.elapsed().as_secs_f64()
    );
}
