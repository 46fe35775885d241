//! Headless Chromium driven through chromedriver (Debian's `chromium` + `chromium-driver`), with
//! what every browser test needs: waits, the browser's console log (a test fails on any console
//! error, page error, warning or failed request), phone emulation and network throttling.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

/// The window the page is shown in.
#[derive(Clone, Copy, Debug)]
pub enum Screen {
    /// 1280 × 1000, mouse.
    Desktop,
    /// A phone: 390 × 844 CSS pixels, device pixel ratio 3, touch events, a phone's user agent.
    Phone,
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    /// Console lines a test expects (substrings), e.g. the failed request of a refused save.
    allowed: Vec<String>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A desktop browser.
pub async fn browser() -> Browser {
    Browser::start(Screen::Desktop).await
}

/// chromedriver's `POST /session/{id}/se/log`: the console lines since the last call.
#[derive(Debug)]
struct ReadLog;

impl WebDriverCompatibleCommand for ReadLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// chromedriver's `POST /session/{id}/chromium/network_conditions`.
#[derive(Debug)]
struct SetNetwork {
    latency_ms: u32,
    bytes_per_second: u32,
}

impl WebDriverCompatibleCommand for SetNetwork {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"network_conditions": {
            "offline": false,
            "latency": self.latency_ms,
            "download_throughput": self.bytes_per_second,
            "upload_throughput": self.bytes_per_second,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

impl Browser {
    /// Empties the browser's HTTP cache (cookies stay), for a first visit.
    pub async fn clear_cache(&self) {
        self.client
            .issue_cmd(Cdp { cmd: "Network.clearBrowserCache", params: serde_json::json!({}) })
            .await
            .expect("clear the cache");
    }

    /// Runs one Chrome DevTools Protocol command on the page (e.g. `Emulation.setGeolocationOverride`).
    pub async fn cdp(&self, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
        self.client.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    pub async fn start(screen: Screen) -> Browser {
        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver} ({e}); run `make test`, which installs it"));
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let binary = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut options = serde_json::json!({
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                // A microphone that plays a tone, allowed without asking (the voice-note journey).
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        });
        if let Screen::Phone = screen {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true},
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                              Chrome/156.0.0.0 Mobile Safari/537.36",
            });
        }
        let caps = serde_json::json!({
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let caps = caps.as_object().unwrap().clone();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        Browser { client, driver, _profile: profile, allowed: Vec::new() }
    }

    /// Console lines containing `text` do not fail the test (an expected refusal, say).
    pub fn allow(&mut self, text: &str) {
        self.allowed.push(text.to_string());
    }

    /// The console's errors and warnings since the last call (info and debug lines are dropped),
    /// minus the allowed ones.
    pub async fn problems(&self) -> Vec<String> {
        let log = self.client.issue_cmd(ReadLog).await.expect("read the browser log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
            .map(|e| format!("{}: {}", e["level"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")))
            .filter(|line| !self.allowed.iter().any(|a| line.contains(a.as_str())))
            .collect()
    }

    /// Fails the test when the console has had an error or warning since the last check.
    pub async fn assert_clean(&self, context: &str) {
        let problems = self.problems().await;
        assert!(problems.is_empty(), "the browser console had problems at {context}:\n{}", problems.join("\n"));
    }

    /// Checks the console one last time and ends the session.
    pub async fn finish(self) {
        self.assert_clean("the end of the journey").await;
        self.client.clone().close().await.unwrap();
    }

    /// Throttles the network: round-trip latency in ms and throughput in bytes per second (both
    /// directions), as Chromium's DevTools do.
    pub async fn set_network(&self, latency_ms: u32, bytes_per_second: u32) {
        self.client.issue_cmd(SetNetwork { latency_ms, bytes_per_second }).await.expect("network conditions");
    }

    /// Signs in through the login form and waits to land on `/`.
    pub async fn log_in(&self, base: &str, username: &str, password: &str) {
        let c = &self.client;
        c.goto(&format!("{base}/login")).await.unwrap();
        c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
        c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
        c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
        wait_url(c, |u| u.ends_with('/')).await;
    }
}

/// Waits until the element's text satisfies `ok`, returning the text.
pub async fn wait_text(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(text) = el.text().await {
                if ok(&text) {
                    return text;
                }
                last = text;
            }
        }
        assert!(Instant::now() < deadline, "timed out waiting on {css}; last text: {last:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn wait_url(c: &Client, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if ok(&url) {
            return url;
        }
        assert!(Instant::now() < deadline, "timed out waiting for the URL; at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the page's script has run and the page settled: the app sets `body[data-hydrated]`
/// once the wasm has loaded and the islands on the page were walked (see `app::hydrate`),
/// then nothing has changed in the DOM for 200 ms (a late panic or a failed request would have
/// shown by then).
pub async fn wait_hydrated(c: &Client) {
    if c.wait().at_most(WAIT).for_element(Locator::Css("body[data-hydrated]")).await.is_err() {
        let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let log = c.issue_cmd(ReadLog).await.map(|l| l.to_string()).unwrap_or_default();
        panic!("{url} did not hydrate within {WAIT:?}; the console said: {log}");
    }
    let settle = r#"
        const done = arguments[arguments.length - 1];
        let timer;
        const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, 200); });
        function finish() { observer.disconnect(); done(true); }
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
        timer = setTimeout(finish, 200);
        setTimeout(finish, 5000);
    "#;
    c.execute_async(settle, vec![]).await.expect("page settles");
}

/// Waits until the island `name` (`[data-island=name]`, see `app::components::island`) is live in
/// the browser — its own `data-ready` mark, set when its code runs — then for the page to settle
/// as [`wait_hydrated`] does.
pub async fn wait_island(c: &Client, name: &str) {
    let css = format!("[data-island='{name}'][data-ready]");
    if c.wait().at_most(WAIT).for_element(Locator::Css(&css)).await.is_err() {
        let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let log = c.issue_cmd(ReadLog).await.map(|l| l.to_string()).unwrap_or_default();
        panic!("the island {name} on {url} did not come alive within {WAIT:?}; the console said: {log}");
    }
    wait_hydrated(c).await;
}

/// (document width, layout viewport width) in CSS pixels. The layout viewport (`clientWidth`),
/// not `innerWidth`: a phone browser zooms out to show an overflowing page, and then
/// `innerWidth` grows with it.
pub async fn page_width(c: &Client) -> (f64, f64) {
    let v = c
        .execute(
            "return [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

/// Fails when the page scrolls sideways, naming the widest elements.
pub async fn assert_fits(c: &Client, context: &str) {
    let (doc, win) = page_width(c).await;
    if doc > win + 1.0 {
        let culprits = c
            .execute(
                r#"const w = document.documentElement.clientWidth; const out = [];
                   for (const el of document.querySelectorAll('body *')) {
                     const r = el.getBoundingClientRect();
                     if (r.right > w + 1 && out.length < 8) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' right=' + Math.round(r.right));
                   } return out;"#,
                vec![],
            )
            .await
            .unwrap();
        panic!("{context}: the page is {doc} px wide in a {win} px window; too wide: {culprits}");
    }
}
