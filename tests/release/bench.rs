//! `make bench`'s browser figures (not a test: ignored unless asked for, and it asserts nothing
//! about speed): bytes moved and time to interactive for a first visit (empty cache) and a repeat
//! visit of `/` and a lead page, on an office line (10 Mbit/s, 40 ms) and a phone's weak signal
//! (1.6 Mbit/s, 150 ms), against the release build on the demo data. Interactive = the moment
//! the app marked the page hydrated (`body[data-hydrated]`, milliseconds since navigation start).

use super::{start, DEMO_PASSWORD};
use lianzhao_tests::browser::{wait_hydrated, Browser, Screen};

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
