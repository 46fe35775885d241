//! Load for the benchmark: N keep-alive HTTP/1.1 connections sending GETs as fast as answers
//! come back, and the same number of tasks running the list's SQL directly on the pool.
//! Latencies are per request; percentiles over all of them.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Body = Empty<Bytes>;

/// The two statements of a list page: the count, then the rows.
pub type ListSql = (Statement, Statement);

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub requests: usize,
    pub errors: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub rps: f64,
}

impl Stats {
    pub(super) fn of(mut latencies: Vec<Duration>, errors: usize, elapsed: Duration) -> Stats {
        latencies.sort_unstable();
        let n = latencies.len();
        let at =
            |q: f64| latencies.get(((n as f64 * q) as usize).min(n.saturating_sub(1))).copied().unwrap_or_default();
        Stats { requests: n, errors, p50: at(0.50), p99: at(0.99), rps: n as f64 / elapsed.as_secs_f64() }
    }

    pub fn line(&self) -> String {
        format!(
            "p50 {:>6.2} ms  p99 {:>6.2} ms  {:>6.0} req/s  n={}{}",
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.rps,
            self.requests,
            if self.errors > 0 { format!("  ({} errors)", self.errors) } else { String::new() }
        )
    }
}

/// GETs `paths` (round robin) over `connections` keep-alive connections until `stop` says so.
pub async fn http(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    headers: Arc<Vec<(String, String)>>,
    connections: usize,
    stop: impl Fn() -> bool + Clone + Send + Sync + 'static,
) -> anyhow::Result<Stats> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..connections {
        let (paths, headers, stop) = (paths.clone(), headers.clone(), stop.clone());
        tasks.spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            let (mut latencies, mut errors, mut i) = (Vec::new(), 0usize, c);
            while !stop() {
                let mut req = hyper::Request::get(paths[i % paths.len()].as_str()).header("host", addr.to_string());
                for (k, v) in headers.iter() {
                    req = req.header(k.as_str(), v.as_str());
                }
                let req = req.body(Empty::<Bytes>::new())?;
                i += 1;
                let t = Instant::now();
                sender.ready().await?;
                let res = sender.send_request(req).await?;
                let ok = res.status().is_success();
                res.into_body().collect().await?;
                latencies.push(t.elapsed());
                errors += usize::from(!ok);
            }
            anyhow::Ok((latencies, errors))
        });
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    while let Some(done) = tasks.join_next().await {
        let (latencies, e) = done??;
        all.extend(latencies);
        errors += e;
    }
    Ok(Stats::of(all, errors, started.elapsed()))
}

/// Runs each (count, page) pair of statements (round robin) from `tasks` tasks on the pool.
pub async fn sql(
    db: &DatabaseConnection,
    statements: Arc<Vec<ListSql>>,
    tasks: usize,
    stop: impl Fn() -> bool + Clone + Send + Sync + 'static,
) -> anyhow::Result<Stats> {
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for c in 0..tasks {
        let (db, statements, stop) = (db.clone(), statements.clone(), stop.clone());
        set.spawn(async move {
            let (mut latencies, mut i) = (Vec::new(), c);
            while !stop() {
                let (count, page) = &statements[i % statements.len()];
                i += 1;
                let t = Instant::now();
                db.query_one(count.clone()).await?;
                db.query_all(page.clone()).await?;
                latencies.push(t.elapsed());
            }
            anyhow::Ok(latencies)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = set.join_next().await {
        all.extend(done??);
    }
    Ok(Stats::of(all, 0, started.elapsed()))
}

/// A stop condition: true once `d` has passed.
pub fn after(d: Duration) -> impl Fn() -> bool + Clone + Send + Sync + 'static {
    let deadline = Instant::now() + d;
    move || Instant::now() >= deadline
}

/// How late this process's own tasks woke while `stop` said no: a task asks to sleep 10 ms
/// again and again and records by how much each wake-up overshot. Large figures mean the
/// measuring side itself stalled (its runtime's threads busy), so its latencies are not all the
/// server's. Returns (p99, the largest).
pub async fn own_lag(stop: impl Fn() -> bool + Send + 'static) -> (Duration, Duration) {
    const TICK: Duration = Duration::from_millis(10);
    let mut late = Vec::new();
    while !stop() {
        let t = Instant::now();
        tokio::time::sleep(TICK).await;
        late.push(t.elapsed().saturating_sub(TICK));
    }
    let s = Stats::of(late.clone(), 0, Duration::from_secs(1));
    (s.p99, late.into_iter().max().unwrap_or_default())
}

/// Runs `work` on a thread of its own with a runtime of its own (as a separate `lianzhao
/// import` process would), so its CPU-bound stretches (parsing, classifying, scoring) cannot
/// delay the tasks that measure the server's answers on this process's runtime.
pub fn on_own_thread<T, F>(work: F) -> std::thread::JoinHandle<anyhow::Result<T>>
where
    T: Send + 'static,
    F: std::future::Future<Output = anyhow::Result<T>> + Send + 'static,
{
    std::thread::spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(work))
}
