//! `make bench`'s browser figures (not a test: ignored unless asked for, and it asserts nothing
//! about speed): bytes moved and time to interactive for a first visit (empty cache) and a repeat
//! visit of `/` and a lead page, on an office line (10 Mbit/s, 40 ms) and a phone's weak signal
//! (1.6 Mbit/s, 150 ms), against the release build on the demo data. Interactive = the moment
//! the app marked the page hydrated (`body[data-hydrated]`, milliseconds since navigation start).

use super::{start, DEMO_PASSWORD};
use lianzhao_tests::browser::{wait_hydrated, Browser, Screen};
use std::time::Instant;

struct Visit {
    bytes: f64,
    interactive_ms: f64,
}

async fn visit(b: &Browser, url: &str) -> Visit {
    let c = &b.client;
    c.goto(url).await.unwrap();
    wait_hydrated(c).await;
    let v = c
        .execute(
            "const nav = performance.getEntriesByType('navigation')[0];
             const bytes = performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, nav.transferSize);
             return [bytes, Number(document.body.dataset.hydrated)];",
            vec![],
        )
        .await
        .unwrap();
    Visit { bytes: v[0].as_f64().unwrap_or(0.0), interactive_ms: v[1].as_f64().unwrap_or(0.0) }
}

#[tokio::test]
#[ignore = "a benchmark: `make bench` runs it and prints its figures"]
async fn bench_first_and_repeat_visits_on_throttled_networks() {
    let server = start().await;
    let lead = server.ids("SELECT lead_id FROM activities GROUP BY lead_id ORDER BY COUNT(*) DESC LIMIT 1").await[0];
    println!("\nbrowser: bytes moved and time to interactive (release build, demo data, headless Chromium)");
    println!(
        "{:<28} {:<14} {:>14} {:>12} {:>14} {:>12}",
        "network", "page", "first: bytes", "first: s", "repeat: bytes", "repeat: s"
    );
    for (name, latency, bytes_per_s) in
        [("10 Mbit/s, 40 ms", 40, 1_250_000), ("1.6 Mbit/s, 150 ms (phone)", 150, 200_000)]
    {
        for page in ["/".to_string(), format!("/leads/{lead}")] {
            let b = Browser::start(Screen::Phone).await;
            b.log_in(&server.base, "zhangmin", DEMO_PASSWORD).await;
            b.clear_cache().await;
            b.set_network(latency, bytes_per_s).await;
            let url = format!("{}{page}", server.base);
            let first = visit(&b, &url).await;
            let repeat = visit(&b, &url).await;
            println!(
                "{name:<28} {page:<14} {:>11.0} KB {:>12.2} {:>11.0} KB {:>12.2}",
                first.bytes / 1000.0,
                first.interactive_ms / 1000.0,
                repeat.bytes / 1000.0,
                repeat.interactive_ms / 1000.0
            );
            b.finish().await;
        }
    }
}

/// A signed-in client of the release server (cookies kept, redirects not followed).
async fn signed_in(base: &str, username: &str) -> reqwest::Client {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client
        .post(format!("{base}/login"))
        .form(&[("username", username), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    client
}

async fn try_call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let res = client
        .post(format!("{base}/api/{endpoint}"))
        .header("accept", "application/json")
        .form(fields)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or_default())
}

async fn call(client: &reqwest::Client, base: &str, endpoint: &str, fields: &[(&str, &str)]) -> serde_json::Value {
    let (status, body) = try_call(client, base, endpoint, fields).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    body
}

#[tokio::test]
#[ignore = "a benchmark: `make bench` runs it and prints its figures"]
async fn bench_the_offline_package_of_a_week_with_30_visits() {
    use lianzhao_tests::browser::wait_text;
    use lianzhao_tests::signal::{Net, Signal};
    let server = start().await;
    let traveller = "zhangmin";
    let me = server.user_id(traveller).await.to_string();
    let client = signed_in(&server.base, traveller).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let member = format!("form[members][{me}]");
    let (start_on, end_on) = (day(0), day(5));
    let trip = call(
        &client,
        &server.base,
        "trips/create",
        &[
            ("form[kind]", "outbound"),
            ("form[purpose]", "长三角集成电路产业链招商周"),
            ("form[destination]", "苏州"),
            ("form[start_on]", &start_on),
            ("form[end_on]", &end_on),
            (&member, &me),
        ],
    )
    .await
    .to_string();
    // 30 visits of 30 minutes over six days, in the first free slots (the demo has other visits).
    let leads = server.ids("SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY id LIMIT 30").await;
    let mut slots = (0..6).flat_map(|d| (0..18).map(move |half| (d, 8 * 60 + half * 30)));
    for lead in &leads {
        let lead = lead.to_string();
        loop {
            let (d, minute) = slots.next().expect("a free slot");
            let (date, from, to) = (
                day(d),
                format!("{:02}:{:02}", minute / 60, minute % 60),
                format!("{:02}:{:02}", (minute + 30) / 60, (minute + 30) % 60),
            );
            let fields = [
                ("trip_id", trip.as_str()),
                ("form[lead]", &lead),
                ("form[date]", &date),
                ("form[start]", &from),
                ("form[end]", &to),
            ];
            if try_call(&client, &server.base, "visits/add", &fields).await.0 == 200 {
                break;
            }
        }
    }
    // What "take the week along" fetches: the week, each visit, the new-company form.
    let week = call(&client, &server.base, "field/week", &[]).await;
    let visits: Vec<i64> = week["trips"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["visits"].as_array().unwrap().iter().filter_map(|v| v["id"].as_i64()))
        .collect();
    let mut pages = vec!["/field".to_string(), "/field/leads/new".to_string()];
    pages.extend(visits.iter().map(|v| format!("/field/visits/{v}")));
    let (mut raw, mut br) = (0usize, 0usize);
    for page in &pages {
        let url = format!("{}{page}", server.base);
        raw +=
            client.get(&url).header("accept-encoding", "identity").send().await.unwrap().bytes().await.unwrap().len();
        br += client.get(&url).header("accept-encoding", "br").send().await.unwrap().bytes().await.unwrap().len();
    }
    println!("\noffline package (离线包) of a week with {} visits, release build, demo data:", visits.len());
    println!(
        "  {} pages: {:.0} KB raw, {:.0} KB as sent (brotli); the app shell (wasm, JS, CSS) comes once more",
        pages.len(),
        raw as f64 / 1000.0,
        br as f64 / 1000.0
    );

    // The phone: take the week, lose the signal, open the week and a visit from the phone.
    let signal = Signal::start(server.base.trim_start_matches("http://")).await;
    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    b.log_in(&signal.base, traveller, DEMO_PASSWORD).await;
    c.goto(&format!("{}/field", signal.base)).await.unwrap();
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller ? done(true)
           : navigator.serviceWorker.addEventListener('controllerchange', () => done(true)));",
        vec![],
    )
    .await
    .unwrap();
    let took = Instant::now();
    c.find(fantoccini::Locator::Id("field-take")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-notice", |t| !t.is_empty()).await;
    println!("  taking it along on this machine's loopback: {:.2} s", took.elapsed().as_secs_f64());
    signal.set(Net::Offline);
    for page in ["/field".to_string(), format!("/field/visits/{}", visits[visits.len() / 2])] {
        c.goto(&format!("{}{page}", signal.base)).await.unwrap();
        wait_text(c, "#lz-offline", |t| !t.is_empty()).await;
        let ms = c
            .execute("const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd - n.startTime;", vec![])
            .await
            .unwrap();
        println!("  {page:<20} opens offline (from the service worker) in {:.0} ms", ms.as_f64().unwrap_or(0.0));
    }
    b.finish().await;
}
