//! L1 and L3 of the hardening suite: an office's working day as load. `users` people at once,
//! each on a keep-alive connection of their own, each doing one thing at a time and thinking
//! 1–3 s between: the lead list with the filters the page offers, lead pages, the board
//! (看板), the dashboard, the monthly report, the REST list, saves (read, then PATCH with the
//! version read), stage moves (线索 → 接洽), exports and the weekly report as files. Per route:
//! p50/p99 and the errors (anything but 2xx; a save's 409 on a version changed meanwhile is
//! counted apart, as the answer it is). Every other person is a staff member of a 专班 for the
//! list, the board and the export (what each sees of their own); the rest is a manager's.

use super::load::Stats;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Who the office's people are to the server, and what they work on.
pub struct Office {
    pub addr: SocketAddr,
    /// `cookie` header value of a manager's session (pages, server functions, files).
    pub cookie: String,
    /// `cookie` header value of a staff member's session (in a 专班): every other person
    /// opens the list, the board and the export as them (each sees their own, created and
    /// team's leads, which the database must check lead by lead).
    pub staff_cookie: String,
    /// `authorization` header value of a manager's API token (REST).
    pub bearer: String,
    /// The highest lead id: pages and saves pick ids at random below it.
    pub max_lead: i64,
    /// Leads at 线索 (clue), moved on to 接洽 (contact) one by one.
    pub clues: Vec<i64>,
    pub next_clue: AtomicUsize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Action {
    List,
    Lead,
    RestList,
    Save,
    Move,
    Board,
    Dashboard,
    Monthly,
    Export,
    Weekly,
}

/// How often each is done, in percent.
const MIX: [(Action, u64); 10] = [
    (Action::List, 30),
    (Action::Lead, 20),
    (Action::RestList, 10),
    (Action::Save, 10),
    (Action::Move, 7),
    (Action::Board, 8),
    (Action::Dashboard, 5),
    (Action::Monthly, 5),
    (Action::Export, 3),
    (Action::Weekly, 2),
];

/// The list filters the page offers (query strings; 通信 percent-encoded).
const FILTERS: [&str; 8] = [
    "",
    "?group=yrd&sort=-score",
    "?industry=electronic_comms&stage=negotiation&channel=resident",
    "?grade=A&sort=-investment",
    "?q=%E9%80%9A%E4%BF%A112",
    "?stage=contact&page=3",
    "?group=prd&industry=new_energy",
    "?sort=-updated&page=7",
];

/// The routes as the table prints them, in its order.
pub const ROUTES: [&str; 11] = [
    "GET /leads (filters)",
    "GET /leads/:id",
    "GET /api/v1/leads",
    "GET /api/v1/leads/:id",
    "PATCH /api/v1/leads/:id",
    "POST pipeline/move",
    "GET /kanban",
    "GET /dashboard",
    "GET /reports/monthly",
    "GET /leads/export.csv",
    "GET /reports/weekly.csv",
];

/// Per route: latencies, errors, and 409s (saves only).
#[derive(Default)]
pub struct Tally {
    latencies: HashMap<&'static str, Vec<Duration>>,
    errors: HashMap<&'static str, usize>,
    pub stale: usize,
    pub elapsed: Duration,
}

impl Tally {
    fn record(&mut self, route: &'static str, took: Duration, ok: bool) {
        self.latencies.entry(route).or_default().push(took);
        if !ok {
            *self.errors.entry(route).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        for (route, l) in other.latencies {
            self.latencies.entry(route).or_default().extend(l);
        }
        for (route, e) in other.errors {
            *self.errors.entry(route).or_default() += e;
        }
        self.stale += other.stale;
    }

    /// The figures of `route` (empty when it was never asked).
    pub fn stats(&self, route: &str) -> Stats {
        let latencies = self.latencies.get(route).cloned().unwrap_or_default();
        Stats::of(latencies, self.errors.get(route).copied().unwrap_or(0), self.elapsed)
    }

    pub fn errors(&self) -> usize {
        self.errors.values().sum()
    }

    pub fn requests(&self) -> usize {
        self.latencies.values().map(Vec::len).sum()
    }
}

/// xorshift64: the same mix for the same user each run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> anyhow::Result<Sender> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// One request: its status and body. A broken connection is opened again once.
async fn send(
    sender: &mut Sender,
    office: &Office,
    method: hyper::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: String,
) -> anyhow::Result<(u16, Bytes)> {
    for attempt in 0..2 {
        let mut req =
            hyper::Request::builder().method(method.clone()).uri(path).header("host", office.addr.to_string());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body.clone())))?;
        let answer = async {
            sender.ready().await?;
            let res = sender.send_request(req).await?;
            let status = res.status().as_u16();
            let bytes = res.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, bytes))
        }
        .await;
        match answer {
            Ok(a) => return Ok(a),
            Err(e) if attempt == 0 => {
                tracing::debug!(error = %e, "connection lost: opening another");
                *sender = connect(office.addr).await?;
            }
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns")
}

/// One person's working session until `stop` says so.
async fn person(office: Arc<Office>, me: usize, stop: impl Fn() -> bool) -> anyhow::Result<Tally> {
    let mut sender = connect(office.addr).await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (me as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut tally = Tally::default();
    let cookie = [("cookie", office.cookie.as_str())];
    let own = if me % 2 == 1 { [("cookie", office.staff_cookie.as_str())] } else { cookie };
    let bearer = [("authorization", office.bearer.as_str())];
    let mut saves = 0usize;
    // Arrivals spread over the first seconds, not all at once.
    tokio::time::sleep(Duration::from_millis(rng.below(3_000))).await;
    while !stop() {
        let mut pick = rng.below(100);
        let action = MIX
            .iter()
            .find(|(_, weight)| {
                let hit = pick < *weight;
                pick = pick.saturating_sub(*weight);
                hit
            })
            .map_or(Action::List, |(a, _)| *a);
        let lead = 1 + rng.below(office.max_lead.max(1) as u64) as i64;
        let filter = FILTERS[rng.below(FILTERS.len() as u64) as usize];
        let get = hyper::Method::GET;
        let t = Instant::now();
        let (route, status) = match action {
            Action::List => {
                (ROUTES[0], send(&mut sender, &office, get, &format!("/leads{filter}"), &own, String::new()).await?.0)
            }
            Action::Lead => {
                (ROUTES[1], send(&mut sender, &office, get, &format!("/leads/{lead}"), &cookie, String::new()).await?.0)
            }
            Action::RestList => {
                let sep = if filter.is_empty() { "?" } else { "&" };
                let path = format!("/api/v1/leads{filter}{sep}per_page=50");
                (ROUTES[2], send(&mut sender, &office, get, &path, &bearer, String::new()).await?.0)
            }
            Action::Save => {
                let path = format!("/api/v1/leads/{lead}");
                let (status, body) = send(&mut sender, &office, get, &path, &bearer, String::new()).await?;
                tally.record(ROUTES[3], t.elapsed(), status == 200);
                let version = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("version").and_then(|v| v.as_i64()));
                let Some(version) = version else { continue };
                saves += 1;
                let patch = serde_json::json!({ "version": version.to_string(), "notes": format!("L1 {me}-{saves}") });
                let headers = [bearer[0], ("content-type", "application/json")];
                let t = Instant::now();
                let (status, _) =
                    send(&mut sender, &office, hyper::Method::PATCH, &path, &headers, patch.to_string()).await?;
                if status == 409 {
                    tally.stale += 1;
                }
                tally.record(ROUTES[4], t.elapsed(), status == 200 || status == 409);
                think(&mut rng).await;
                continue;
            }
            Action::Move => {
                let Some(&id) = office.clues.get(office.next_clue.fetch_add(1, Ordering::Relaxed)) else { continue };
                let headers =
                    [cookie[0], ("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")];
                let body = format!("lead_id={id}&form%5Bto%5D=contact");
                (
                    ROUTES[5],
                    send(&mut sender, &office, hyper::Method::POST, "/api/pipeline/move", &headers, body).await?.0,
                )
            }
            Action::Board => (ROUTES[6], send(&mut sender, &office, get, "/kanban", &own, String::new()).await?.0),
            Action::Dashboard => {
                (ROUTES[7], send(&mut sender, &office, get, "/dashboard", &cookie, String::new()).await?.0)
            }
            Action::Monthly => {
                (ROUTES[8], send(&mut sender, &office, get, "/reports/monthly", &cookie, String::new()).await?.0)
            }
            Action::Export => {
                let path = "/leads/export.csv?industry=electronic_comms&stage=negotiation";
                (ROUTES[9], send(&mut sender, &office, get, path, &own, String::new()).await?.0)
            }
            Action::Weekly => {
                (ROUTES[10], send(&mut sender, &office, get, "/reports/weekly.csv", &cookie, String::new()).await?.0)
            }
        };
        tally.record(route, t.elapsed(), (200..300).contains(&status));
        think(&mut rng).await;
    }
    Ok(tally)
}

/// 1–3 s between two things a person does.
async fn think(rng: &mut Rng) {
    tokio::time::sleep(Duration::from_millis(1_000 + rng.below(2_000))).await;
}

/// `users` people working until `stop` says so; their requests' figures together.
/// Errors: a person's connection could not be opened or broke twice in a row.
pub async fn day(
    office: Arc<Office>,
    users: usize,
    stop: impl Fn() -> bool + Clone + Send + Sync + 'static,
) -> anyhow::Result<Tally> {
    let started = Instant::now();
    let mut people = tokio::task::JoinSet::new();
    for me in 0..users {
        people.spawn(person(office.clone(), me, stop.clone()));
    }
    let mut all = Tally::default();
    while let Some(done) = people.join_next().await {
        all.merge(done??);
    }
    all.elapsed = started.elapsed();
    Ok(all)
}

/// Prints the table of `tally`, with the L1 figures beside when given (L3: the ratio of p99s).
pub fn print(tally: &Tally, baseline: Option<&Tally>) {
    for route in ROUTES {
        let s = tally.stats(route);
        if s.requests == 0 {
            continue;
        }
        let ratio = baseline
            .map(|b| b.stats(route))
            .filter(|b| b.requests > 0)
            .map(|b| format!("  p99 {:.1}× L1", s.p99.as_secs_f64() / b.p99.as_secs_f64().max(1e-9)))
            .unwrap_or_default();
        println!("{route:<26} {}{ratio}", s.line());
    }
    println!(
        "{:<26} {} requests, {} errors, {} saves answered 409 (changed meanwhile)",
        "all",
        tally.requests(),
        tally.errors(),
        tally.stale
    );
}

/// A manager's export of the whole list (no filter; at most 100,000 leads) as `ext` (`csv` or
/// `xlsx`), alone: (status, bytes, how long it took).
/// Errors: the connection could not be opened or broke twice.
pub async fn whole_export(office: &Office, ext: &str) -> anyhow::Result<(u16, usize, Duration)> {
    let mut sender = connect(office.addr).await?;
    let t = Instant::now();
    let path = format!("/leads/export.{ext}");
    let (status, body) =
        send(&mut sender, office, hyper::Method::GET, &path, &[("cookie", office.cookie.as_str())], String::new())
            .await?;
    Ok((status, body.len(), t.elapsed()))
}

/// One `POST /import/upload` of `csv` (multipart, as the page's form sends it) as the manager, on
/// its own connection; returns the status (303 whether kept or refused: count the batches).
pub async fn upload_csv(addr: SocketAddr, cookie: String, csv: Arc<String>) -> anyhow::Result<u16> {
    Ok(upload(addr, &cookie, "bench.csv", "text/csv", csv.as_bytes()).await?.0)
}

/// One `POST /import/upload` of the file `bytes` named `name` (multipart, as the page's form
/// sends it) with `cookie`, on its own connection: the status and where it redirects
/// (`/import/ID` when kept, `/import?error=…` when refused).
pub async fn upload(
    addr: SocketAddr,
    cookie: &str,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> anyhow::Result<(u16, Option<String>)> {
    let boundary = "lianzhao-bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut sender = connect(addr).await?;
    let req = hyper::Request::builder()
        .method(hyper::Method::POST)
        .uri("/import/upload")
        .header("host", addr.to_string())
        .header("cookie", cookie)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Full::new(Bytes::from(body)))?;
    sender.ready().await?;
    let res = sender.send_request(req).await?;
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    res.into_body().collect().await?;
    Ok((status, location))
}

/// One `POST` of a server function (`/api/{endpoint}`) with a form body, as JSON, with `cookie`,
/// on its own connection: the status and the answer.
pub async fn call(addr: SocketAddr, cookie: &str, endpoint: &str, form: &str) -> anyhow::Result<(u16, Bytes)> {
    let mut sender = connect(addr).await?;
    let req = hyper::Request::builder()
        .method(hyper::Method::POST)
        .uri(format!("/api/{endpoint}"))
        .header("host", addr.to_string())
        .header("cookie", cookie)
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form.to_string())))?;
    sender.ready().await?;
    let res = sender.send_request(req).await?;
    let status = res.status().as_u16();
    let body = res.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// One `GET path` with `cookie` on its own connection: the status and the body's length.
pub async fn get(addr: SocketAddr, cookie: &str, path: &str) -> anyhow::Result<(u16, usize)> {
    let mut sender = connect(addr).await?;
    let req = hyper::Request::builder()
        .method(hyper::Method::GET)
        .uri(path)
        .header("host", addr.to_string())
        .header("cookie", cookie)
        .body(Full::new(Bytes::new()))?;
    sender.ready().await?;
    let res = sender.send_request(req).await?;
    let status = res.status().as_u16();
    let body = res.into_body().collect().await?.to_bytes();
    Ok((status, body.len()))
}
