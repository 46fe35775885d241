//! The release build in the browser, on the demo data: the same binary and site that `make run`
//! serves (`LZ_RELEASE_BIN`, `LZ_RELEASE_SITE`; the test script builds both), started as its own
//! process with `serve --seed-demo-if-empty`. Every page is opened as each role (staff, manager,
//! leader, admin) — the pages in that role's navigation and the rich records behind them: a lead
//! with activities, problems, history, a 重大项目, the 承诺履约 panel; a trip with visits and
//! reports; a team; an import batch; every report; the board; the chain map. Each page must
//! answer 200, hydrate, and leave the browser console without errors, warnings or failed
//! requests; on a phone no page may scroll sideways.

use fantoccini::{Client, Locator};
use lianzhao_tests::browser::{assert_fits, wait_hydrated, Browser, Screen};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod bench;

const DEMO_PASSWORD: &str = "lianzhao2026";

struct Server {
    base: String,
    child: Child,
    dir: tempfile::TempDir,
    db: DatabaseConnection,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn env_path(name: &str) -> String {
    let value = std::env::var(name).unwrap_or_else(|_| panic!("{name}: run `make test`, which builds the release"));
    assert!(std::path::Path::new(&value).exists(), "{name}={value} does not exist: run `make test`");
    value
}

/// Starts the release binary on a fresh SQLite database with the demo data.
async fn start() -> Server {
    let bin = env_path("LZ_RELEASE_BIN");
    let site = env_path("LZ_RELEASE_SITE");
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let db_url = format!("sqlite://{}/demo.db?mode=rwc", dir.path().display());
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let child = Command::new(bin)
        .args(["serve", "--seed-demo-if-empty"])
        .current_dir(dir.path())
        .env("DATABASE_URL", &db_url)
        .env("LEPTOS_SITE_ROOT", &site)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LZ_SCHEDULED_MAIL", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start the release server");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(res) = http.get(format!("{base}/healthz")).send().await {
            if res.status().is_success() {
                break;
            }
        }
        assert!(Instant::now() < deadline, "the release server did not start; see its log");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let db = Database::connect(&db_url).await.expect("open the demo database");
    Server { base, child, dir, db }
}

impl Server {
    async fn ids(&self, sql: &str) -> Vec<i64> {
        let rows = self
            .db
            .query_all(Statement::from_string(self.db.get_database_backend(), sql.to_string()))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter().filter_map(|r| r.try_get_by_index::<i64>(0).ok()).collect()
    }

    async fn user_id(&self, username: &str) -> i64 {
        self.ids(&format!("SELECT id FROM users WHERE username = '{username}'")).await[0]
    }

    /// Uploads a small CSV as `username`, so there is an import batch to look at.
    async fn import_batch(&self, username: &str) -> i64 {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let res = client
            .post(format!("{}/login", self.base))
            .form(&[("username", username), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let csv = "企业名称,所在地区,行业,计划投资（万元）\n发布检查导入科技有限公司,南京市江宁区,电子通信,1.5亿\n坏行有限公司,火星,造船,很多\n";
        let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("线索.csv");
        let res = client
            .post(format!("{}/import/upload", self.base))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        let to = res.headers()["location"].to_str().unwrap().to_string();
        to.trim_start_matches("/import/").parse().unwrap_or_else(|_| panic!("upload went to {to}"))
    }

    /// The rich records: leads with the most activities, problems, field changes, a 重大项目 and
    /// a signed project with actual figures, limited to what `visible` (an SQL condition on
    /// `leads`) lets the reader see.
    async fn rich_leads(&self, visible: &str) -> BTreeSet<i64> {
        let mut ids = BTreeSet::new();
        for sql in [
            "SELECT lead_id FROM activities a JOIN leads l ON l.id = a.lead_id WHERE {v} GROUP BY lead_id ORDER BY COUNT(*) DESC LIMIT 1",
            "SELECT lead_id FROM problems p JOIN leads l ON l.id = p.lead_id WHERE {v} GROUP BY lead_id ORDER BY COUNT(*) DESC LIMIT 1",
            "SELECT lead_id FROM lead_changes c JOIN leads l ON l.id = c.lead_id WHERE {v} GROUP BY lead_id ORDER BY COUNT(*) DESC LIMIT 1",
            "SELECT lead_id FROM project_actuals p JOIN leads l ON l.id = p.lead_id WHERE {v} LIMIT 1",
            "SELECT lead_id FROM project_milestones p JOIN leads l ON l.id = p.lead_id WHERE {v} AND p.problem_id IS NOT NULL LIMIT 1",
            "SELECT id FROM leads l WHERE {v} AND (major_flag OR planned_investment_wan >= 10000) LIMIT 1",
            "SELECT id FROM leads l WHERE {v} AND stage IN ('signed', 'landed') LIMIT 1",
            "SELECT id FROM leads l WHERE {v} AND owner_id IS NULL LIMIT 1",
        ] {
            let sql = sql.replace("{v}", &format!("l.deleted_at IS NULL AND ({visible})"));
            ids.extend(self.ids(&sql).await);
        }
        ids
    }
}

/// Hrefs of the links on the page that match `css`, as paths.
async fn links(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in c.find_all(Locator::Css(css)).await.unwrap_or_default() {
        if let Ok(Some(href)) = el.attr("href").await {
            if href.starts_with('/') && !out.contains(&href) {
                out.push(href);
            }
        }
    }
    out
}

/// Opens `path`, waits for it to hydrate and settle, and fails on a non-200 answer, anything in
/// the console or a page that scrolls sideways (on a phone or a 1,280 px screen).
async fn check_page(b: &Browser, base: &str, path: &str, who: &str, screen: Screen) {
    let c = &b.client;
    c.goto(&format!("{base}{path}")).await.unwrap();
    let status = c
        .execute("const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0;", vec![])
        .await
        .unwrap();
    assert_eq!(status.as_i64(), Some(200), "{path} as {who}: HTTP status");
    wait_hydrated(c).await;
    b.assert_clean(&format!("{path} as {who} ({screen:?})")).await;
    assert_fits(c, &format!("{path} as {who} ({screen:?})")).await;
    if let Screen::Phone = screen {
        // The lists laid out as blocks on a phone (a row a block) never scroll sideways.
        let wide = c
            .execute(
                "return [...document.querySelectorAll('#lead-table, #trip-table, #problem-table, #import-history, #queue')]\
                 .filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.id + ' ' + t.scrollWidth);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(wide, serde_json::json!([]), "{path} as {who}: a list scrolls sideways on a phone");
    }
}

/// Every page a role reaches: its navigation, the first records of each list, and `extra`.
async fn pages_of(b: &Browser, base: &str, extra: &[String]) -> Vec<String> {
    let c = &b.client;
    c.goto(&format!("{base}/")).await.unwrap();
    let mut pages: Vec<String> = links(c, "header a[href]").await;
    let lists: [(&str, &str, usize); 7] = [
        ("/leads", "tr.lead-row a[href^='/leads/']", 2),
        ("/trips", "a[href^='/trips/']", 3),
        ("/teams", "a[href^='/teams/']", 1),
        ("/chains", "a[href^='/chains/']", 1),
        ("/import", "a[href^='/import/']", 1),
        ("/reports/monthly", "a[href^='/reports/']", 6),
        ("/efficiency", "a[href^='/efficiency/enterprise/']", 1),
    ];
    for (list, css, n) in lists {
        if !pages.iter().any(|p| p == list) && list != "/reports/monthly" {
            continue;
        }
        c.goto(&format!("{base}{list}")).await.unwrap();
        wait_hydrated(c).await;
        b.assert_clean(&format!("{list} (collecting links)")).await;
        for href in links(c, css).await.into_iter().filter(|h| !h.ends_with(".xlsx") && !h.ends_with(".csv")).take(n) {
            pages.push(href);
        }
    }
    for more in ["/calendar?view=month", "/reports/quarterly", "/reports/fulfilment", "/me"] {
        pages.push(more.to_string());
    }
    pages.extend(extra.iter().cloned());
    let mut seen = BTreeSet::new();
    pages.retain(|p| seen.insert(p.clone()));
    pages
}

/// Every page of `username` on each of `screens`, in `lang` (`zh-CN` or `en`: the language is
/// switched as a user does, and stays theirs).
async fn run_role(server: &Server, username: &str, extra: Vec<String>, screens: &[Screen], lang: &str) -> usize {
    let mut checked = 0;
    for &screen in screens {
        let b = Browser::start(screen).await;
        b.log_in(&server.base, username, DEMO_PASSWORD).await;
        let shown = b.client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
        if shown.as_str() != Some(lang) {
            // The switch sits in the folded menu on a phone: its form is sent as a click would.
            b.client.execute("document.getElementById('switch-lang').form.submit();", vec![]).await.unwrap();
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let shown = b.client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
                if shown.as_str() == Some(lang) {
                    break;
                }
                assert!(Instant::now() < deadline, "the language switch left the page in {shown}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        let pages = pages_of(&b, &server.base, &extra).await;
        b.assert_clean(&format!("collecting the pages of {username}")).await;
        for page in &pages {
            check_page(&b, &server.base, page, username, screen).await;
            checked += 1;
        }
        b.finish().await;
    }
    checked
}

/// The real wasm goes out as brotli, a fraction of its size, cached for a year.
async fn assert_wasm_goes_out_compressed(server: &Server) {
    let site = env_path("LZ_RELEASE_SITE");
    let hashes = std::fs::read_to_string(format!("{site}/hash.txt")).unwrap();
    let hash = hashes.lines().find_map(|l| l.strip_prefix("wasm:")).expect("wasm hash").trim().to_string();
    let raw = std::fs::metadata(format!("{site}/pkg/lianzhao.{hash}.wasm")).unwrap().len();
    let res = reqwest::Client::new()
        .get(format!("{}/pkg/lianzhao.{hash}.wasm", server.base))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    let sent = res.bytes().await.unwrap().len() as u64;
    let precompressed = std::fs::metadata(format!("{site}/pkg/lianzhao.{hash}.wasm.br")).unwrap().len();
    assert_eq!(sent, precompressed, "the brotli copy made at build time is what goes out");
    assert!(sent * 2 < raw, "brotli should at least halve the wasm: {sent} of {raw} bytes");
    println!("release wasm: {raw} bytes raw, {sent} bytes as sent (brotli)");
}

#[tokio::test]
async fn every_page_of_the_release_build_hydrates_cleanly_for_every_role_on_the_demo_data() {
    let server = start().await;
    assert_wasm_goes_out_compressed(&server).await;
    let batch = server.import_batch("zhangmin").await;
    let all = server.rich_leads("1 = 1").await;
    let lead_pages = |ids: &BTreeSet<i64>| -> Vec<String> {
        ids.iter().flat_map(|id| [format!("/leads/{id}"), format!("/leads/{id}/edit")]).collect()
    };
    let trip = server.ids("SELECT trip_id FROM visits GROUP BY trip_id ORDER BY COUNT(*) DESC LIMIT 1").await;
    let mut common: Vec<String> = trip.iter().map(|t| format!("/trips/{t}")).collect();
    common.push("/chains/1".into());
    common.push("/kanban".into());

    // 招商人员: the leads they own or their teams hold.
    let fang = server.user_id("wangfang").await;
    let staff_leads = server
        .rich_leads(&format!(
            "l.owner_id = {fang} OR l.created_by = {fang} OR l.team_id IN (SELECT team_id FROM team_members WHERE user_id = {fang})"
        ))
        .await;
    let mut staff = lead_pages(&staff_leads);
    let trip = server
        .ids(&format!(
            "SELECT v.trip_id FROM visits v JOIN trip_members m ON m.trip_id = v.trip_id AND m.user_id = {fang} \
             GROUP BY v.trip_id ORDER BY COUNT(*) DESC LIMIT 1"
        ))
        .await;
    staff.extend(trip.iter().map(|t| format!("/trips/{t}")));
    staff.extend(["/chains/1".to_string(), "/kanban".to_string()]);
    // 外出 on a phone: a visit of hers (with the check-in island), the quick company form. (Her
    // outbox is the service worker's own page, tested in the browser's offline journey.)
    let visit = server
        .ids(&format!(
            "SELECT v.id FROM visits v JOIN trip_members m ON m.trip_id = v.trip_id AND m.user_id = {fang} \
             ORDER BY (v.status = 'planned') DESC, v.id LIMIT 1"
        ))
        .await;
    staff.extend(visit.iter().map(|v| format!("/field/visits/{v}")));
    staff.push("/field/leads/new".to_string());

    let mut manager = lead_pages(&all);
    manager.extend(common.iter().cloned());
    manager.push(format!("/import/{batch}"));

    // Leaders read; there is no edit page for them.
    let mut leader: Vec<String> = all.iter().map(|id| format!("/leads/{id}")).collect();
    leader.extend(common.iter().cloned());

    let admin = manager.clone();
    let mut checked = 0;
    // The administrator (who reaches every page a manager does, and settings) in English: the
    // longer words must fit too.
    for (who, extra, lang) in [
        ("wangfang", staff, "zh-CN"),
        ("zhangmin", manager, "zh-CN"),
        ("zhoujun", leader, "zh-CN"),
        ("admin", admin, "en"),
    ] {
        checked += run_role(&server, who, extra, &[Screen::Desktop, Screen::Phone], lang).await;
    }
    let log = std::fs::read_to_string(server.dir.path().join("server.log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "the server logged errors:\n{log}");
    println!("{checked} page views checked");
}
