//! The import benchmark: a generated spreadsheet of N new leads, read, previewed and committed
//! through the same services as `/import`.

use super::fill::{Rng, PLACES};
use app::backend::services::{import_commit, imports};
use app::backend::Settings;
use app::wire::auth::SessionUser;
use sea_orm::DatabaseConnection;
use std::time::Instant;

/// An .xlsx of `n` leads with Chinese headers and the kinds of values offices type; the company
/// names start with `prefix` (another prefix, other companies).
pub fn workbook(n: usize, prefix: &str) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = ["企业名称", "所在地区", "行业", "计划投资（万元）", "用地（亩）", "渠道", "联系人", "联系电话"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let industries = ["电子通信", "智能制造", "节能环保及新材料", "现代服务业"];
    let amounts = ["1.5亿", "3000万", "3,000", "8000", "2亿"];
    let channels = ["委托招商", "驻点招商", "以商招商", "展会招商"];
    let mut rng = Rng(7);
    for i in 0..n {
        let r = (i + 1) as u32;
        sheet.write_string(r, 0, format!("{prefix}{i}号科技有限公司"))?;
        sheet.write_string(r, 1, PLACES[rng.below(PLACES.len() as u64 - 2) as usize])?;
        sheet.write_string(r, 2, industries[rng.below(4) as usize])?;
        sheet.write_string(r, 3, amounts[rng.below(5) as usize])?;
        sheet.write_number(r, 4, (10 + rng.below(200)) as f64)?;
        sheet.write_string(r, 5, channels[rng.below(4) as usize])?;
        sheet.write_string(r, 6, "王经理")?;
        sheet.write_string(r, 7, format!("1380000{:04}", i % 10_000))?;
    }
    Ok(book.save_to_buffer()?)
}

pub struct Timings {
    pub rows: usize,
    pub read_s: f64,
    pub commit_s: f64,
    pub created: usize,
    pub skipped: usize,
}

pub async fn run(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &SessionUser,
    bytes: &[u8],
) -> anyhow::Result<Timings> {
    let err = |e: app::backend::services::ServiceError| anyhow::anyhow!("{e}");
    let t = Instant::now();
    let id = imports::upload(db, settings, actor, "bench.xlsx", bytes.to_vec()).await.map_err(err)?;
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let memory = imports::ImportMemory::default();
    import_commit::claim(db, settings, &memory, actor, id).await.map_err(err)?;
    let outcome = import_commit::run(db, &memory, settings.import_lease, actor, id).await.map_err(err)?;
    let commit_s = t.elapsed().as_secs_f64();
    Ok(Timings {
        rows: outcome.created + outcome.failed + outcome.skipped,
        read_s,
        commit_s,
        created: outcome.created,
        skipped: outcome.skipped,
    })
}

/// An import as a user makes it, through the server: the upload, the commit, and the server's
/// own memory peak above its size just before each (MiB; None where `/proc/PID/clear_refs`
/// cannot reset it).
pub struct Served {
    pub timings: Timings,
    pub upload_peak: Option<f64>,
    /// The preview page (`GET /import/ID`): its first view and the next (seconds), and the
    /// first's peak.
    pub views: (f64, f64),
    pub view_peak: Option<f64>,
    pub commit_peak: Option<f64>,
}

/// Posts `bytes` as `name` to `/import/upload` (multipart) with `cookie`, then commits the batch
/// through `imports/commit` and waits for it, reading the batch's row from the database every
/// 50 ms (a browser's progress page asks the server each second; that would add its own work);
/// the server is process `pid`.
/// Errors: the upload refused or not redirected to its batch, the commit not accepted, the
/// batch ending other than done.
pub async fn through_server(
    db: &DatabaseConnection,
    addr: std::net::SocketAddr,
    pid: u32,
    cookie: &str,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<Served> {
    use app::backend::entities::import_batch;
    use sea_orm::EntityTrait;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (before, reset) = super::size::reset_peak(pid);
    let t = Instant::now();
    let (status, to) = super::office::upload(addr, cookie, name, xlsx, bytes).await?;
    let read_s = t.elapsed().as_secs_f64();
    let upload_peak = reset.then(|| super::size::rss_mib_of(pid).1 - before);
    let id: i64 = to
        .as_deref()
        .and_then(|to| to.strip_prefix("/import/"))
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("the upload answered {status}, to {to:?}"))?;
    let page = format!("/import/{id}");
    let (before, reset) = super::size::reset_peak(pid);
    let t = Instant::now();
    let (status, _) = super::office::get(addr, cookie, &page).await?;
    let first = t.elapsed().as_secs_f64();
    anyhow::ensure!(status == 200, "the preview answered {status}");
    let view_peak = reset.then(|| super::size::rss_mib_of(pid).1 - before);
    let t = Instant::now();
    super::office::get(addr, cookie, &page).await?;
    let views = (first, t.elapsed().as_secs_f64());
    let (before, reset) = super::size::reset_peak(pid);
    let t = Instant::now();
    let (status, body) = super::office::call(addr, cookie, "imports/commit", &format!("id={id}")).await?;
    anyhow::ensure!(status == 200, "the commit answered {status}: {}", String::from_utf8_lossy(&body));
    let batch = loop {
        let batch =
            import_batch::Entity::find_by_id(id).one(db).await?.ok_or_else(|| anyhow::anyhow!("batch {id} is gone"))?;
        if batch.status != "running" {
            break batch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let commit_s = t.elapsed().as_secs_f64();
    let commit_peak = reset.then(|| super::size::rss_mib_of(pid).1 - before);
    anyhow::ensure!(batch.status == "done", "batch {id} ended {}", batch.status);
    Ok(Served {
        timings: Timings {
            rows: (batch.created + batch.failed + batch.skipped + batch.updated) as usize,
            read_s,
            commit_s,
            created: batch.created as usize,
            skipped: batch.skipped as usize,
        },
        upload_peak,
        views,
        view_peak,
        commit_peak,
    })
}

/// A CSV of `n` new leads as offices export them from other systems, with a remark of about 60
/// characters per row: 100,000 rows are about 30 MB, the largest file `/import` takes.
pub fn big_csv(n: usize, prefix: &str) -> String {
    let industries = ["电子通信", "智能制造", "节能环保及新材料", "现代服务业"];
    let channels = ["委托招商", "驻点招商", "以商招商", "展会招商"];
    let words = ["新建厂房", "生产线", "研发中心", "总部", "设备投资", "亩均税收", "产能扩张", "配套"];
    let mut rng = Rng(11);
    let mut csv = String::from("企业名称,所在地区,行业,计划投资（万元）,用地（亩）,渠道,联系人,联系电话,备注\n");
    for i in 0..n {
        let place = PLACES[rng.below(PLACES.len() as u64 - 2) as usize];
        let industry = industries[rng.below(4) as usize];
        let channel = channels[rng.below(4) as usize];
        let remark: String = (0..14).map(|_| words[rng.below(words.len() as u64) as usize]).collect();
        csv.push_str(&format!(
            "{prefix}{i}号科技有限公司,{place},{industry},{},{},{channel},王经理,138{i:08},项目情况：{remark}\n",
            1_000 + rng.below(90_000),
            10 + rng.below(290),
        ));
    }
    csv
}
