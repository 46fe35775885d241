//! Photos and voice notes from a visit: typed by their bytes, limited in size, location data
//! removed, kept once per key, on the lead's timeline, read only by those who may read the lead.

use super::field::{trip_with_visit, visit_of};
use app::domain::role::Role;
use lianzhao_tests::TestApp;
use serde_json::Value;

/// A small JPEG as a phone writes it: EXIF with the place it was taken, then the picture.
pub fn jpeg_with_location() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0GPSLatitude 31.3170 GPSLongitude 120.7170";
    jpeg.extend([0xFF, 0xE1, 0, (exif.len() + 2) as u8]);
    jpeg.extend_from_slice(exif);
    jpeg.extend([0xFF, 0xDB, 0, 4, 0, 1]);
    jpeg.extend([0xFF, 0xDA, 0, 2, 0x11, 0x22, 0x33, 0xFF, 0xD9]);
    jpeg
}

async fn attach(
    app: &TestApp,
    client: &reqwest::Client,
    visit: &str,
    files: Vec<(&str, Vec<u8>)>,
    idem: &str,
    accept: &str,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("idem", idem.to_string());
    for (name, bytes) in files {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    }
    client
        .post(app.url(&format!("/field/visits/{visit}/attachments")))
        .header("accept", accept)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn photos_and_voice_notes_are_typed_by_their_bytes_and_shown_only_to_readers_of_the_lead() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (other, _) = app.login_as("b", Role::Staff).await;
    let (_, lead, visit) = trip_with_visit(&app, &manager, &staff, a, "深南电子有限公司", 1).await;
    const JSON: &str = "application/json";

    // A photo and an iPhone voice note (MP4 audio), sent twice with the same key: kept once.
    let m4a = [&[0u8, 0, 0, 0x20][..], b"ftypM4A ", &[0u8; 64][..]].concat();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let res = attach(
            &app,
            &staff,
            &visit,
            vec![("IMG_0001.JPG", jpeg_with_location()), ("录音.m4a", m4a.clone())],
            "att-1",
            JSON,
        )
        .await;
        assert_eq!(res.status(), 200);
        ids.push(res.json::<Value>().await.unwrap());
    }
    assert_eq!(ids[0], ids[1]);
    let v = visit_of(&app, &staff, &visit).await;
    let kinds: Vec<&str> = v["attachments"].as_array().unwrap().iter().filter_map(|a| a["kind"].as_str()).collect();
    assert_eq!(kinds, ["photo", "voice"], "{v}");
    let photo = ids[0][0].as_i64().unwrap();

    // The photo is served without where it was taken; the voice note as audio.
    let res = staff.get(app.url(&format!("/attachments/{photo}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(&[0xFF, 0xD8]) && !String::from_utf8_lossy(&body).contains("GPS"), "{body:?}");
    let voice = ids[0][1].as_i64().unwrap();
    let res = manager.get(app.url(&format!("/attachments/{voice}"))).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.headers()["content-type"].to_str().unwrap()), (200, "audio/mp4"));
    // Not to someone who may not read the lead, nor to a stranger.
    assert_eq!(other.get(app.url(&format!("/attachments/{photo}"))).send().await.unwrap().status(), 404);
    assert_eq!(app.client().get(app.url(&format!("/attachments/{photo}"))).send().await.unwrap().status(), 303);
    // Nor may they add any to the visit.
    let res = attach(&app, &other, &visit, vec![("a.jpg", jpeg_with_location())], "att-x", JSON).await;
    assert_eq!(res.status(), 404, "a trip they are not on is not theirs to see");
    // A colleague on a trip who may not read this lead does not add to it either.
    let (fellow, f) = app.login_as("f", Role::Staff).await;
    let (_, _, shared) = trip_with_visit(&app, &manager, &staff, f, "前海通信有限公司", 2).await;
    let res = attach(&app, &fellow, &shared, vec![("a.jpg", jpeg_with_location())], "att-y", JSON).await;
    assert_eq!(res.status(), 404, "the lead is not theirs to read");

    // On the lead's timeline.
    let (_, p) = app.call(&staff, "pipeline/get", &[("lead_id", &lead)]).await;
    let on_timeline =
        p["timeline"].as_array().unwrap().iter().filter(|e| e["item"].get("Attachment").is_some()).count();
    assert_eq!(on_timeline, 2, "{p}");

    // The type is read from the bytes, not the name; the size is limited per kind.
    let res =
        attach(&app, &staff, &visit, vec![("photo.jpg", b"<html><script>alert(1)</script>".to_vec())], "att-2", JSON)
            .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Invalid"][0]["key"], "err.attachment.type", "{body}");
    let mut big = jpeg_with_location();
    big.resize(9 << 20, 0);
    let res = attach(&app, &staff, &visit, vec![("big.jpg", big)], "att-3", JSON).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["Invalid"][0]["key"].as_str(), body["Invalid"][0]["args"].to_string().contains("\"8\"")),
        (Some("err.attachment.too_large"), true),
        "{body}"
    );
    // A plain form post (no JavaScript) comes back to the visit with the reason.
    let res = attach(&app, &staff, &visit, vec![("x.pdf", b"%PDF-1.4".to_vec())], "", "text/html").await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/field/visits/{visit}?attach_err=err.attachment.type")), "{to}");
    let (_, html) = app.page(&staff, &to).await;
    assert!(html.contains("只能上传照片"), "{html}");
    let v = visit_of(&app, &staff, &visit).await;
    assert_eq!(v["attachments"].as_array().map(Vec::len), Some(2), "nothing refused was kept");
}
