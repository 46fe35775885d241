//! `TestApp`: a real server on 127.0.0.1:0 over a fresh database (SQLite in a temp dir, or a
//! new PostgreSQL database when `LZ_TEST_PG_URL` names a server), with helpers to sign in.

use app::backend::services::users;
use app::backend::{AppState, Settings};
use app::domain::role::Role;
use app::wire::users::NewUser;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub mod browser;
pub mod signal;
pub mod smtp;

pub const PASSWORD: &str = "correct-horse-42";

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub database_url: String,
    pub settings: Settings,
    site_root: String,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// The server's jobs loop and imports being committed.
    background: app::backend::background::Background,
    /// The server's shared state (its pool, caches and settings).
    pub state: AppState,
}

/// Which database the suite runs on (printed by the test script).
pub fn backend_name() -> &'static str {
    if std::env::var("LZ_TEST_PG_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    }
}

async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("LZ_TEST_PG_URL") {
        Ok(admin_url) => {
            let admin = Database::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
            let name = format!("lz_{}", app::backend::services::auth::random_hex(8));
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url);
            format!("{base}/{name}")
        }
        Err(_) => format!("sqlite://{}/test.db?mode=rwc", dir.display()),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Self::test_settings()).await
    }

    /// A second server on the same database (another app instance), with its own jobs.
    pub async fn spawn_sibling(&self, settings: Settings) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start(dir, self.database_url.clone(), settings, self.site_root.clone()).await
    }

    /// Settings for tests: background jobs every 100 ms, mail written to a temp outbox, no
    /// scheduled mail unless a test turns it on (it depends on the day and hour).
    pub fn test_settings() -> Settings {
        let mut s = Settings {
            job_interval: std::time::Duration::from_millis(100),
            scheduled_mail: false,
            ..Settings::default()
        };
        s.mail.coalesce_secs = 0;
        s.mail.retry_base_secs = 1;
        s
    }

    pub async fn spawn_with(settings: Settings) -> TestApp {
        Self::spawn_on_site(settings, std::env::var("LZ_SITE_ROOT").ok()).await
    }

    /// A server whose built site (wasm, JS, CSS) is `site_root` (default: an empty temp dir).
    pub async fn spawn_on_site(mut settings: Settings, site_root: Option<String>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        if settings.mail.outbox_dir == Settings::default().mail.outbox_dir {
            settings.mail.outbox_dir = dir.path().join("outbox");
        }
        if settings.attachments_dir == Settings::default().attachments_dir {
            settings.attachments_dir = dir.path().join("attachments");
        }
        let database_url = fresh_database_url(dir.path()).await;
        let site_root = site_root.unwrap_or_else(|| dir.path().display().to_string());
        Self::start(dir, database_url, settings, site_root).await
    }

    async fn start(dir: tempfile::TempDir, database_url: String, settings: Settings, site_root: String) -> TestApp {
        // `LZ_TEST_LOG=warn` (or any filter) shows the servers' logs, e.g. the error behind a 500.
        if let Ok(filter) = std::env::var("LZ_TEST_LOG") {
            let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        }
        let db = app::backend::db::connect_and_migrate(&database_url).await.expect("migrate");
        let state = AppState::new(db.clone(), settings.clone());
        lianzhao_server::jobs::spawn(state.clone());
        let background = state.background.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let options = lianzhao_server::web::leptos_options(&site_root, addr);
        let router = lianzhao_server::web::router(state.clone(), options);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
                .expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            db,
            database_url,
            settings,
            site_root,
            _dir: dir,
            shutdown: Some(tx),
            task: Some(task),
            background,
            state,
        }
    }

    /// Stops this server and starts a new one on the same database (sessions must survive).
    pub async fn restart(mut self) -> TestApp {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            // Graceful shutdown waits for open connections; never let a lingering keep-alive
            // connection hang the suite.
            let abort = task.abort_handle();
            if tokio::time::timeout(std::time::Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
        // As `serve` does after the requests: the background work finishes or is abandoned.
        self.stop_background(std::time::Duration::from_secs(30)).await;
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        Self::start(dir, self.database_url.clone(), self.settings.clone(), self.site_root.clone()).await
    }

    /// Stops the background work as a stopping server does: what runs may finish within
    /// `grace`, then it is abandoned. Returns whether it all finished in time.
    pub async fn stop_background(&self, grace: std::time::Duration) -> bool {
        self.background.stop(grace).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar that does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            // A request that never completes fails its test with a name, not the whole run.
            .timeout(std::time::Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub async fn create_user(&self, username: &str, role: Role) -> i64 {
        users::insert(
            &self.db,
            NewUser {
                username: username.into(),
                display_name: format!("{username} 测试"),
                role,
                password: PASSWORD.into(),
                email: format!("{username}@test.example.cn"),
            },
        )
        .await
        .expect("create user")
    }

    /// Posts the login form; returns the response (a redirect).
    pub async fn post_login(&self, client: &reqwest::Client, username: &str, password: &str) -> reqwest::Response {
        client
            .post(self.url("/login"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("login request")
    }

    /// Creates `username` with `role` and returns a signed-in client.
    pub async fn login_as(&self, username: &str, role: Role) -> (reqwest::Client, i64) {
        let id = self.create_user(username, role).await;
        let client = self.client();
        let res = self.post_login(&client, username, PASSWORD).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/", "login of {username} failed");
        (client, id)
    }

    /// Calls a server function (`/api/{endpoint}`) with form fields, as the browser does.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        fields: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let res = client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(fields)
            .send()
            .await
            .expect("server fn request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, json)
    }

    /// GET a page; returns status and body.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client.get(self.url(path)).send().await.expect("page request");
        (res.status().as_u16(), res.text().await.expect("body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.background.stopping.cancel();
        self.background.abandon.cancel();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The signed-in user `id` (`username`, shown by the same name) as the services see them: in no
/// team, in Chinese — for calling a service directly.
pub fn session_user(id: i64, username: &str, role: Role) -> app::wire::auth::SessionUser {
    app::wire::auth::SessionUser {
        id,
        username: username.into(),
        display_name: username.into(),
        role,
        locale: app::i18n::Locale::ZhCn,
        teams: Vec::new(),
        led_teams: Vec::new(),
    }
}

/// A valid USCC registered in `division` (six digits), unique per `seed`.
pub fn uscc(division: &str, seed: u32) -> String {
    let body = format!("91{division}MA{seed:07}");
    app::domain::uscc::Uscc::complete(&body).expect("valid body").to_string()
}

/// The fields of a complete, valid lead form.
pub fn lead_fields<'a>(name: &'a str, uscc: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[company_name]", name),
        ("form[uscc]", uscc),
        ("form[industry]", "electronic_comms"),
        ("form[sector]", "5g_communications"),
        ("form[channel]", "resident"),
        ("form[stage]", "clue"),
        ("form[planned_investment]", "1.2亿"),
        ("form[contacts][0][name]", "张经理"),
        ("form[contacts][0][phone]", "025-88881234"),
    ]
}
