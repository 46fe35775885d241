//! `lianzhao bench` (`make bench`): fills a fresh database with N realistic leads and prints, in
//! one run, the figures issue 7 asks for — the lead list through HTTP at 32 concurrent
//! connections beside the same SQL run directly (the app's overhead as a ratio), a rescore
//! after a weight change with the list's latency meanwhile, the import of a generated xlsx,
//! the browser bundle's size and the process's memory. A benchmark to run, not a test.

mod efficiency;
mod fill;
mod import;
mod load;
mod office;
mod size;

use app::backend::activity;
use app::backend::entities::lead;
use app::backend::services::{api_tokens, auth, lead_list, rescore, scoring};
use app::backend::Settings;
use app::domain::lead_filter::LeadFilter;
use app::wire::auth::SessionUser;
use load::after;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long memory is given to go back after a load (jemalloc purges after 1 s).
const IDLE: Duration = Duration::from_secs(3);

pub struct Options {
    pub leads: usize,
    pub connections: usize,
    pub seconds: f64,
    pub site_root: String,
    /// Print the query plan of each list mix.
    pub explain: bool,
    /// L1/L3: people at once, and how long L1 runs (L3 runs while its import and rescore do).
    pub users: usize,
    pub office_seconds: f64,
    /// Only L1 and L3 (`make hardening`), not the figures before them.
    pub office_only: bool,
}

/// The database's plan for a statement (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN).
async fn explain(db: &DatabaseConnection, stmt: &sea_orm::Statement) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let prefix = if backend == sea_orm::DbBackend::Sqlite { "EXPLAIN QUERY PLAN " } else { "EXPLAIN " };
    let plan =
        sea_orm::Statement { sql: format!("{prefix}{}", stmt.sql), values: stmt.values.clone(), db_backend: backend };
    println!("    {}", stmt.sql);
    for row in db.query_all(plan).await? {
        let line: String = if backend == sea_orm::DbBackend::Sqlite {
            row.try_get::<String>("", "detail")?
        } else {
            row.try_get::<String>("", "QUERY PLAN")?
        };
        println!("    | {line}");
    }
    Ok(())
}

fn e(e: app::backend::services::ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// A list mix: its label, who reads, the filter.
fn mixes(manager: &SessionUser, staff: &SessionUser) -> Vec<(&'static str, SessionUser, LeadFilter)> {
    let f = LeadFilter::default;
    vec![
        ("default (newest first)", manager.clone(), f()),
        (
            "长三角, by score",
            manager.clone(),
            LeadFilter { group: Some("yrd".into()), sort: Some("-score".into()), ..f() },
        ),
        (
            "industry + stage + channel",
            manager.clone(),
            LeadFilter {
                industry: Some("electronic_comms".into()),
                stage: Some("negotiation".into()),
                channel: Some("resident".into()),
                ..f()
            },
        ),
        (
            "grade A, by investment",
            manager.clone(),
            LeadFilter { grade: Some("A".into()), sort: Some("-investment".into()), ..f() },
        ),
        ("name search (3+ chars)", manager.clone(), LeadFilter { q: Some("通信12".into()), ..f() }),
        ("a staff member's leads", staff.clone(), f()),
    ]
}

/// A new score configuration moving `points` of weight from 产业 to 规模 (as an admin would on the
/// settings page), so the next rescore changes nearly every score.
async fn change_weights(db: &DatabaseConnection, points: f64) -> anyhow::Result<()> {
    use app::backend::entities::score_config;
    use sea_orm::{ActiveModelTrait, Set};
    let (_, mut config) = scoring::current(db).await.map_err(e)?;
    config.weights.industry -= points;
    config.weights.scale += points;
    score_config::ActiveModel {
        config: Set(serde_json::to_string(&config)?),
        note: Set("bench".into()),
        created_by: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Pages 1–10 of a mix, as API paths and as SQL.
async fn targets(
    db: &DatabaseConnection,
    who: &SessionUser,
    filter: &LeadFilter,
) -> anyhow::Result<(Vec<String>, Vec<load::ListSql>)> {
    // The office's own 重大项目 threshold, as the list reads it.
    let major_project_wan = app::backend::services::scoring::major_project_wan(db).await.map_err(e)?;
    let mut paths = Vec::new();
    let mut statements = Vec::new();
    for page in 1..=10 {
        let f = LeadFilter { page: Some(page), ..filter.clone() };
        let q = f.to_query();
        let sep = if q.is_empty() { "?" } else { "&" };
        paths.push(format!("/api/v1/leads{q}{sep}per_page=50"));
        statements.push(lead_list::statements(db, who, &f, major_project_wan).await.map_err(e)?);
    }
    Ok((paths, statements))
}

/// `lianzhao serve` as the benchmark runs it, and the panics its log has shown so far.
struct Server {
    child: tokio::process::Child,
    addr: SocketAddr,
    panics: Arc<std::sync::atomic::AtomicUsize>,
    /// Requests that waited over 100 ms for one of the pool's connections (sqlx's warning).
    slow_acquires: Arc<std::sync::atomic::AtomicUsize>,
}

impl Server {
    /// How many requests have waited over 100 ms for a database connection so far.
    fn slow_acquires(&self) -> usize {
        self.slow_acquires.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Fails when the server's log showed a panic: a figure taken while requests died is no figure.
    async fn check(&self) -> anyhow::Result<()> {
        // Lines the server wrote just now may still be in the pipe.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let n = self.panics.load(std::sync::atomic::Ordering::SeqCst);
        anyhow::ensure!(n == 0, "the server panicked {n} time(s) during the benchmark (its log is above)");
        Ok(())
    }
}

/// Passes the server's output on to ours line by line (lossy UTF-8), counting panics, until it
/// ends; sqlx's slow-acquire warnings are counted in `slow`, not passed on.
async fn pass_on(
    from: impl tokio::io::AsyncRead + Unpin,
    panics: Arc<std::sync::atomic::AtomicUsize>,
    slow: Arc<std::sync::atomic::AtomicUsize>,
) {
    use tokio::io::AsyncBufReadExt;
    let mut from = tokio::io::BufReader::new(from);
    let mut line = Vec::new();
    loop {
        line.clear();
        match from.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line);
                if text.contains("panicked at") {
                    panics.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                if text.contains("exceeded slow threshold") {
                    slow.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    continue;
                }
                eprint!("server: {text}");
            }
        }
    }
}

/// The app as users run it: `lianzhao serve` in its own process on the same database (so its
/// memory is its own), answering on a free loopback port once it is ready. Its log (errors
/// only) and panics are passed on to ours line by line, and its panics are counted.
async fn serve(database_url: &str, site_root: &str) -> anyhow::Result<Server> {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", addr.to_string())
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("LZ_SCHEDULED_MAIL", "false")
        // Errors, and each request that waited over 100 ms for a database connection.
        .env("RUST_LOG", "error,sqlx::pool::acquire=warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let panics = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let slow_acquires = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // The log (tracing writes to stdout) and panics (stderr), read to the end whatever they hold,
    // so the server never blocks on a full pipe.
    if let Some(out) = child.stdout.take() {
        tokio::spawn(pass_on(out, panics.clone(), slow_acquires.clone()));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(pass_on(err, panics.clone(), slow_acquires.clone()));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        anyhow::ensure!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(Server { child, addr, panics, slow_acquires })
}

/// 招商地图 at this size: the figures' query and the drawing (the service, in process: p50 and
/// slowest of 20), the SVG's size per view, and the `/map` page through HTTP.
async fn map_figures(
    db: &DatabaseConnection,
    manager: &SessionUser,
    addr: SocketAddr,
    cookie: Arc<Vec<(String, String)>>,
    connections: usize,
    dur: Duration,
) -> anyhow::Result<()> {
    use app::backend::services::map;
    use app::domain::map::{Layer, MapQuery, Preset};
    println!("\n1b. 招商地图 (/map), {} leads by city", lead::Entity::find().count(db).await?);
    for (label, view, layer) in [
        ("全国, leads", Preset::China, Layer::Leads),
        ("长三角, leads", Preset::Yrd, Layer::Leads),
        ("全国, trips", Preset::China, Layer::Trips),
    ] {
        let q = MapQuery { view, layer, ..Default::default() };
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let v = map::view(db, manager, &q).await.map_err(e)?;
            times.push(t.elapsed());
            size = v.svg.len();
        }
        times.sort();
        println!(
            "{label:<28} figures + drawing p50 {:.1} ms, slowest {:.1} ms; SVG {} (goal ≤ 100 ms, ≤ 300 KB)",
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() - 1].as_secs_f64() * 1000.0,
            size::kb(size)
        );
    }
    let pages: Vec<String> = vec!["/map".into(), "/map?view=yrd".into()];
    let html = load::http(addr, Arc::new(pages), cookie, connections, after(dur)).await?;
    println!("{:<28} {}", "HTML page /map (SSR)", html.line());
    Ok(())
}

/// A rescore of every lead after a weight change, alone: from a process serving nothing (as
/// `lianzhao import` beside the server), as the server runs it, and with nothing to change.
async fn rescores_alone(db: &DatabaseConnection, n: u64) -> anyhow::Result<()> {
    change_weights(db, -5.0).await?;
    let t = Instant::now();
    rescore::rescore(db, rescore::Scope::All).await.map_err(e)?;
    println!(
        "rescore {n} leads alone (the weights changed back), from this process (as `lianzhao import` beside the \
         server: resting between pages for users it cannot see): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    change_weights(db, 5.0).await?;
    let t = Instant::now();
    activity::as_server(rescore::rescore(db, rescore::Scope::All)).await.map_err(e)?;
    println!(
        "rescore {n} leads alone, as the server runs it after a settings save with nobody else served: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    change_weights(db, -5.0).await?;
    let t = Instant::now();
    // Never in one transaction (as above 150,000 leads, and on PostgreSQL): the pages.
    activity::as_server(rescore::rescore_all_with(db, rescore::Bulk::Never)).await.map_err(e)?;
    println!(
        "rescore {n} leads alone, as the server runs it, page by page (as above 150,000 leads): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    activity::as_server(rescore::rescore(db, rescore::Scope::All)).await.map_err(e)?;
    println!("rescore {n} leads, nothing changed (nothing written): {:.2} s", t.elapsed().as_secs_f64());
    Ok(())
}

/// `lianzhao bench --rescore-only`: the rescores of [`rescores_alone`] on a database a bench
/// filled before.
pub async fn rescores(database_url: &str) -> anyhow::Result<()> {
    let db = app::backend::db::connect_and_migrate(database_url).await?;
    let n = lead::Entity::find().count(&db).await?;
    if n == 0 {
        anyhow::bail!("--rescore-only needs a database a bench filled");
    }
    rescores_alone(&db, n).await
}

pub async fn run(database_url: &str, o: Options) -> anyhow::Result<()> {
    println!(
        "Lianzhao benchmark: {} leads on {}, {} connections, {} s per measurement",
        o.leads,
        database_url.split('?').next().unwrap_or(database_url),
        o.connections,
        o.seconds
    );
    let db = app::backend::db::connect_and_migrate(database_url).await?;
    if lead::Entity::find().count(&db).await? > 0 {
        anyhow::bail!("the benchmark needs an empty database");
    }
    let t = Instant::now();
    let (manager, staff) = fill::fill(&db, o.leads).await?;
    let rescored = rescore::rescore(&db, rescore::Scope::All).await.map_err(e)?;
    // What the server's jobs do at start-up and hourly.
    app::backend::db::maintain(&db).await?;
    println!("fill: {rescored} leads with activities, teams, placements, scores in {:.1} s", t.elapsed().as_secs_f64());

    let server = serve(database_url, &o.site_root).await?;
    let addr = server.addr;
    let mut headers = Vec::new();
    for who in [&manager, &staff] {
        let token = api_tokens::create(&db, who, who.id, "bench", None).await.map_err(e)?;
        headers.push(Arc::new(vec![("authorization".to_string(), format!("Bearer {token}"))]));
    }
    let dur = Duration::from_secs_f64(o.seconds);
    let cookie = auth::open_session(&db, &Settings::default(), manager.id, "127.0.0.1").await?;
    let cookie = format!("{}={cookie}", auth::SESSION_COOKIE);
    let staff_cookie = auth::open_session(&db, &Settings::default(), staff.id, "127.0.0.1").await?;
    let cookie_pair = (cookie.clone(), format!("{}={staff_cookie}", auth::SESSION_COOKIE));
    if o.office_only {
        return office_figures(&db, &o, &manager, &server, addr, &cookie_pair, &headers[0][0].1).await;
    }

    println!("\n1. Lead list, 50-row pages 1–10, {} concurrent connections", o.connections);
    println!(
        "{:<28} {:<48} {:<48} {:>6}",
        "mix", "HTTP GET /api/v1/leads", "same SQL directly (count + page)", "ratio"
    );
    for (label, who, filter) in mixes(&manager, &staff) {
        let (paths, statements) = targets(&db, &who, &filter).await?;
        if o.explain {
            explain(&db, &statements[0].0).await?;
            explain(&db, &statements[0].1).await?;
        }
        let auth = if who.id == manager.id { headers[0].clone() } else { headers[1].clone() };
        let http = load::http(addr, Arc::new(paths), auth, o.connections, after(dur)).await?;
        let raw = load::sql(&db, Arc::new(statements), o.connections, after(dur)).await?;
        let ratio = http.p50.as_secs_f64() / raw.p50.as_secs_f64().max(1e-9);
        println!("{label:<28} {:<48} {:<48} {ratio:>5.1}×", http.line(), raw.line());
    }
    // The page as the browser gets it (server-rendered HTML), for the default mix.
    let cookie_header = Arc::new(vec![("cookie".to_string(), cookie.clone())]);
    let pages: Vec<String> = (1..=10).map(|p| format!("/leads?page={p}")).collect();
    let html = load::http(addr, Arc::new(pages), cookie_header.clone(), o.connections, after(dur)).await?;
    println!("{:<28} {}", "HTML page /leads (SSR)", html.line());
    map_figures(&db, &manager, addr, cookie_header, o.connections, dur).await?;

    println!("\n2. Rescore every lead after a weight change, the list read meanwhile");
    change_weights(&db, 5.0).await?;
    let done = Arc::new(AtomicBool::new(false));
    let writer_db = db.clone();
    let flag = done.clone();
    let t = Instant::now();
    let writer = load::on_own_thread(async move {
        let r = rescore::rescore(&writer_db, rescore::Scope::All).await;
        flag.store(true, Ordering::SeqCst);
        r.map_err(e)
    });
    let (paths, _) = targets(&db, &manager, &LeadFilter::default()).await?;
    let stop = done.clone();
    let during = load::http(addr, Arc::new(paths.clone()), headers[0].clone(), o.connections, move || {
        stop.load(Ordering::SeqCst)
    })
    .await?;
    let joined = tokio::task::spawn_blocking(move || writer.join()).await?;
    let n = joined.map_err(|_| anyhow::anyhow!("the rescore's thread panicked"))??;
    println!("rescore {n} leads: {:.2} s under load; list meanwhile: {}", t.elapsed().as_secs_f64(), during.line());
    rescores_alone(&db, n).await?;

    let (rss, peak) = server.child.id().map(size::rss_mib_of).unwrap_or_default();
    println!("\n3. Memory of the server process after the load: {rss:.0} MiB resident (peak {peak:.0} MiB)");
    tokio::time::sleep(IDLE).await;
    let (rss, _) = server.child.id().map(size::rss_mib_of).unwrap_or_default();
    println!("   after {} s idle: {rss:.0} MiB resident (goal ≤ 150 MiB)", IDLE.as_secs());

    println!("\n4. Import of a generated xlsx of {} rows", o.leads);
    let t = Instant::now();
    let file = import::workbook(o.leads, "导入测试")?;
    println!("workbook: {} in {:.1} s", size::kb(file.len()), t.elapsed().as_secs_f64());
    // Through the server, as a user imports: the upload (read, checked, the preview stored) and
    // the commit (classify, insert, score, ANALYZE), each with the server's own peak above its
    // size just before (reset first), the commit read from the database as it ends.
    let pid = server.child.id().unwrap_or_default();
    let goal = (3.0 * file.len() as f64 + 50e6) / f64::from(1 << 20);
    let peak = |p: Option<f64>| p.map_or_else(|| "(not measured)".to_string(), |p| format!("+{p:.0} MiB"));
    let served = import::through_server(&db, addr, pid, &cookie, "bench.xlsx", &file).await?;
    let t = &served.timings;
    println!(
        "through the server (POST /import/upload, then imports/commit), nobody else served: upload (read + \
         preview stored) {:.2} s, commit (classify, insert, score, ANALYZE) {:.2} s: {} rows, {} created, {:.0} \
         rows/s",
        t.read_s,
        t.commit_s,
        t.rows,
        t.created,
        t.rows as f64 / (t.read_s + t.commit_s)
    );
    let (rss, _) = size::rss_mib_of(pid);
    println!(
        "server memory: upload peak {}, commit peak {} (goal: 3× the file + 50 MB = +{goal:.0} MiB), {rss:.0} MiB \
         resident after",
        peak(served.upload_peak),
        peak(served.commit_peak)
    );
    println!(
        "the preview page (GET /import/ID): first view {:.2} s (server peak {}), the next {:.3} s",
        served.views.0,
        peak(served.view_peak),
        served.views.1
    );
    // The same file again, as an office imports an updated list: every row is now a known lead
    // (skipped, the default mode), so the commit matches 100,000 rows against 100,000 leads.
    let again = import::through_server(&db, addr, pid, &cookie, "bench-again.xlsx", &file).await?;
    let (rss, _) = size::rss_mib_of(pid);
    println!(
        "the same file again (every row a known lead, skipped): commit {:.2} s, {} skipped; server upload peak {}, \
         commit peak {} (goal +{goal:.0}), {rss:.0} MiB resident after",
        again.timings.commit_s,
        again.timings.skipped,
        peak(again.upload_peak),
        peak(again.commit_peak),
    );
    drop(file);
    tokio::time::sleep(IDLE).await;
    let (rss, _) = size::rss_mib_of(pid);
    println!("   server after {} s idle: {rss:.0} MiB resident", IDLE.as_secs());

    println!("\n4b. 亩均效益评价 of {} enterprises (one year)", o.leads / 10);
    efficiency::run(&db, o.leads / 10, manager.id).await?;

    println!("\n5. Browser bundle ({}/pkg)", o.site_root);
    match size::bundle(std::path::Path::new(&o.site_root))? {
        None => println!("not built (make bench builds the release site first)"),
        Some((wasm, js)) => {
            for (name, c) in [("lianzhao.wasm", &wasm), ("lianzhao.js", &js)] {
                println!(
                    "{name:<16} raw {:>9}  gzip -9 {:>9}  brotli -11 {:>9}",
                    size::kb(c.raw),
                    size::kb(c.gzip),
                    size::kb(c.brotli)
                );
            }
            println!(
                "{:<16} raw {:>9}  gzip -9 {:>9}  brotli -11 {:>9}",
                "total",
                size::kb(wasm.raw + js.raw),
                size::kb(wasm.gzip + js.gzip),
                size::kb(wasm.brotli + js.brotli)
            );
        }
    }
    office_figures(&db, &o, &manager, &server, addr, &cookie_pair, &headers[0][0].1).await
}

/// 5b: a manager's export of the whole list (at most 100,000 leads) as CSV and as xlsx, alone,
/// with the server's peak memory for each (its peak is reset first, `/proc/PID/clear_refs`).
async fn whole_exports(server: &Server, office: &office::Office) -> anyhow::Result<()> {
    println!("\n5b. A manager's export of the whole list (at most 100000 leads), alone");
    for ext in ["csv", "xlsx"] {
        let pid = server.child.id().unwrap_or_default();
        let (before, reset) = size::reset_peak(pid);
        let (status, bytes, took) = office::whole_export(office, ext).await?;
        anyhow::ensure!(status == 200, "export.{ext} answered {status}");
        let (after, peak) = size::rss_mib_of(pid);
        println!(
            "export.{ext:<5} {:>6.2} s  {:>6.1} MB  server {before:.0} MiB before, peak {}{peak:.0} MiB, {after:.0} MiB after",
            took.as_secs_f64(),
            bytes as f64 / 1e6,
            if reset { "" } else { "(since start) " },
        );
    }
    // L1's peak is its own, not these exports'.
    size::reset_peak(server.child.id().unwrap_or_default());
    Ok(())
}

/// Prints how late the measuring side's own tasks woke ([`load::own_lag`]).
fn print_lag((p99, max): (Duration, Duration)) {
    println!(
        "the measuring side's own wake-ups: p99 {:.1} ms late, at most {:.1} ms (its latencies above include this)",
        p99.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

/// L1: an office's day at `o.users` people for `o.office_seconds`; then L3: the same day while
/// an import of `o.leads` new rows commits (in this process, as `lianzhao import` would, beside
/// the server) and every lead is then rescored after a weight change. Prints both tables, the
/// server's memory, and the list's p99 in L3 against L1 (goal: within 3×).
async fn office_figures(
    db: &DatabaseConnection,
    o: &Options,
    manager: &SessionUser,
    server: &Server,
    addr: SocketAddr,
    (cookie, staff_cookie): &(String, String),
    bearer: &str,
) -> anyhow::Result<()> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let clues: Vec<i64> = lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .filter(lead::Column::Stage.eq("clue"))
        .filter(lead::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let max_lead: Option<Option<i64>> =
        lead::Entity::find().select_only().column_as(lead::Column::Id.max(), "m").into_tuple().one(db).await?;
    let office = Arc::new(office::Office {
        addr,
        cookie: cookie.clone(),
        staff_cookie: staff_cookie.clone(),
        bearer: bearer.to_string(),
        max_lead: max_lead.flatten().unwrap_or(1),
        clues,
        next_clue: Default::default(),
    });
    whole_exports(server, &office).await?;
    big_uploads(db, server, &office).await?;
    println!(
        "\n6. L1: an office's day, {} people at once with 1–3 s think time, {:.0} s (goal: p99 ≤ 100 ms but exports, 0 errors)",
        o.users, o.office_seconds
    );
    let l1_stop = after(Duration::from_secs_f64(o.office_seconds));
    let lag = tokio::spawn(load::own_lag(l1_stop.clone()));
    let l1 = office::day(office.clone(), o.users, l1_stop).await?;
    office::print(&l1, None);
    print_lag(lag.await?);
    let slow_before = server.slow_acquires();
    println!("requests that waited over 100 ms for a database connection: {slow_before}");
    let (rss, peak) = server.child.id().map(size::rss_mib_of).unwrap_or_default();
    println!("server memory after L1: {rss:.0} MiB resident, peak {peak:.0} MiB (goal ≤ 150 MiB)");

    println!("\n7. L3: the same day while {} new rows are imported, then every lead rescored", o.leads);
    let done = Arc::new(AtomicBool::new(false));
    let (flag, writer_db, who, rows) = (done.clone(), db.clone(), manager.clone(), o.leads);
    let writer = load::on_own_thread(async move {
        let work = async {
            let file = import::workbook(rows, "负载导入")?;
            let t = Instant::now();
            let timings = import::run(&writer_db, &Settings::default(), &who, &file).await?;
            let imported = t.elapsed();
            change_weights(&writer_db, 5.0).await?;
            let t = Instant::now();
            let rescored = rescore::rescore(&writer_db, rescore::Scope::All).await.map_err(e)?;
            anyhow::Ok((timings, imported, rescored, t.elapsed()))
        }
        .await;
        flag.store(true, Ordering::SeqCst);
        work
    });
    // While the writer runs, and at least long enough for everyone to arrive and do something.
    let (stop, least) = (done.clone(), after(Duration::from_secs(6)));
    let l3_stop = move || stop.load(Ordering::SeqCst) && least();
    let lag = tokio::spawn(load::own_lag(l3_stop.clone()));
    let l3 = office::day(office, o.users, l3_stop).await?;
    let joined = tokio::task::spawn_blocking(move || writer.join()).await?;
    let (timings, imported, rescored, rescore_took) =
        joined.map_err(|_| anyhow::anyhow!("the L3 writer's thread panicked"))??;
    println!(
        "import: {} rows, {} created, in {:.1} s (read {:.1} s); rescore of {rescored} leads: {:.1} s. Meanwhile:",
        timings.rows,
        timings.created,
        imported.as_secs_f64(),
        timings.read_s,
        rescore_took.as_secs_f64()
    );
    office::print(&l3, Some(&l1));
    print_lag(lag.await?);
    println!("requests that waited over 100 ms for a database connection: {}", server.slow_acquires() - slow_before);
    let (a, b) = (l1.stats(office::ROUTES[0]), l3.stats(office::ROUTES[0]));
    println!(
        "the list's p99: {:.0} ms in L1, {:.0} ms in L3: {:.1}× (goal ≤ 3×)",
        a.p99.as_secs_f64() * 1e3,
        b.p99.as_secs_f64() * 1e3,
        b.p99.as_secs_f64() / a.p99.as_secs_f64().max(1e-9)
    );
    let (rss, peak) = server.child.id().map(size::rss_mib_of).unwrap_or_default();
    println!("server memory after L3: {rss:.0} MiB resident, peak {peak:.0} MiB");
    change_weights(db, -5.0).await?;
    server.check().await
}

/// 5c: uploads of a generated CSV of 100,000 rows of about 30 MB (the largest file `/import`
/// takes), one alone and then four at once, with the server's peak memory (its peak reset first).
/// Goal (issue 15): one upload's peak ≤ 3× the file + 50 MB above the server's size before; the
/// import slots (`import_work::AT_ONCE`) bound what four at once take.
async fn big_uploads(db: &DatabaseConnection, server: &Server, office: &office::Office) -> anyhow::Result<()> {
    use app::backend::entities::import_batch;
    let csv = Arc::new(import::big_csv(100_000, "上传试"));
    let mb = csv.len() as f64 / 1e6;
    println!("\n5c. Uploads of a {mb:.1} MB CSV of 100000 rows to /import, one alone, then four at once");
    let pid = server.child.id().unwrap_or_default();
    for at_once in [1u64, 4] {
        let kept_before = import_batch::Entity::find().count(db).await?;
        let (before, reset) = size::reset_peak(pid);
        let t = Instant::now();
        let mut uploads = tokio::task::JoinSet::new();
        for _ in 0..at_once {
            uploads.spawn(office::upload_csv(server.addr, office.cookie.clone(), csv.clone()));
        }
        while let Some(status) = uploads.join_next().await {
            let status = status??;
            anyhow::ensure!(status == 303, "the upload answered {status}");
        }
        let took = t.elapsed().as_secs_f64();
        let kept = import_batch::Entity::find().count(db).await? - kept_before;
        anyhow::ensure!(kept == at_once, "{at_once} uploads kept {kept} batches");
        let (after, peak) = size::rss_mib_of(pid);
        println!(
            "{at_once} at once  {took:>6.2} s  server {before:.0} MiB before, peak {}{peak:.0} MiB (+{:.0}; goal for one: +{:.0}), {after:.0} MiB after",
            if reset { "" } else { "(since start) " },
            peak - before,
            3.0 * mb / 1.048_576 + 50.0 / 1.048_576,
        );
    }
    size::reset_peak(pid);
    Ok(())
}
