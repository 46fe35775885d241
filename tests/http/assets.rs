//! Bytes on the wire: the built site's assets go out precompressed (brotli, else gzip) under
//! content-hashed names cached for a year; pages and server-function answers are compressed as
//! they are rendered and revalidated; downloads are never stored.

use app::domain::role::Role;
use lianzhao_tests::TestApp;

const HASH: &str = "0123456789abcdef";

/// A site laid out as scripts/build-site.sh lays it out, with recognisable bytes in each copy.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(dir.path().join("hash.txt"), format!("js: {HASH}\nwasm: {HASH}\ncss: {HASH}\n")).unwrap();
    for ext in ["js", "wasm", "css"] {
        let name = pkg.join(format!("lianzhao.{HASH}.{ext}"));
        std::fs::write(&name, format!("raw {ext} ").repeat(100)).unwrap();
        std::fs::write(format!("{}.br", name.display()), format!("brotli {ext}")).unwrap();
        std::fs::write(format!("{}.gz", name.display()), format!("gzip {ext}")).unwrap();
    }
    std::fs::write(dir.path().join("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    dir
}

async fn get(client: &reqwest::Client, url: String, encoding: &str) -> reqwest::Response {
    client.get(url).header("accept-encoding", encoding).send().await.unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[tokio::test]
async fn hashed_assets_go_out_precompressed_and_are_cached_for_a_year() {
    let site = site();
    let app = TestApp::spawn_on_site(TestApp::test_settings(), Some(site.path().display().to_string())).await;
    let client = app.client();
    let wasm = app.url(&format!("/pkg/lianzhao.{HASH}.wasm"));

    let res = get(&client, wasm.clone(), "gzip, deflate, br, zstd").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding"), "br");
    assert_eq!(header(&res, "content-type"), "application/wasm");
    assert_eq!(header(&res, "cache-control"), "public, max-age=31536000, immutable");
    assert!(header(&res, "vary").to_lowercase().contains("accept-encoding"));
    assert_eq!(res.text().await.unwrap(), "brotli wasm", "the precompressed copy, not compressed again");

    let res = get(&client, wasm.clone(), "gzip").await;
    assert_eq!(header(&res, "content-encoding"), "gzip");
    assert_eq!(res.text().await.unwrap(), "gzip wasm");

    let res = get(&client, wasm, "identity").await;
    assert_eq!(header(&res, "content-encoding"), "");
    assert!(res.text().await.unwrap().starts_with("raw wasm"));

    // The page names the hashed files (script, preload and stylesheet).
    let res = get(&client, app.url("/login"), "br").await;
    assert_eq!(header(&res, "content-encoding"), "br", "pages are compressed as they are rendered");
    let res = get(&client, app.url("/login"), "identity").await;
    assert_eq!(header(&res, "cache-control"), "no-store");
    let html = res.text().await.unwrap();
    for name in [format!("lianzhao.{HASH}.wasm"), format!("lianzhao.{HASH}.js"), format!("lianzhao.{HASH}.css")] {
        assert!(html.contains(&name), "the page links {name}");
    }

    // A file without a hash in its name must be revalidated.
    let res = get(&client, app.url("/favicon.svg"), "identity").await;
    assert_eq!(res.status(), 200);
    assert_ne!(header(&res, "cache-control"), "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn pages_server_functions_and_downloads_are_never_stored() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("bytes", Role::Manager).await;

    let res = get(&client, app.url("/leads"), "gzip").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding"), "gzip");
    assert_eq!(header(&res, "cache-control"), "no-store");

    for path in ["/leads/export.csv", "/leads/export.xlsx", "/reports/weekly.xlsx", "/reports/weekly.csv"] {
        let res = get(&client, app.url(path), "br").await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
    }
    let res = get(&client, app.url("/leads/export.xlsx"), "br").await;
    assert_eq!(header(&res, "content-encoding"), "", "an xlsx is a zip already");
}
