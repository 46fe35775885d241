//! Every form family without JavaScript: pages are rendered on the server only (islands mode), so
//! a form is a plain post to its server function, answered with a redirect. These check where
//! the redirect goes, that a refusal comes back at the field with what was typed, and that a
//! success value (a count, a new token) is visible on the page it returns to — never in its URL.

use super::teams::save_team;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

/// A form post as a browser without JavaScript sends it: `(status, Location)`.
pub(crate) async fn plain_post(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let res = client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url(from))
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    // server_fn strips an earlier error from the URL it returns to and leaves a bare `?`, which
    // the server removes (`web::tidy_redirect`): none reaches the address bar.
    assert!(!location.ends_with('?'), "{endpoint} from {from}: {location}");
    (res.status().as_u16(), location.trim_start_matches(&app.base).to_string())
}

/// The opening tag of the element with `id` in `page`.
pub(crate) fn tag_of<'a>(page: &'a str, id: &str) -> Option<&'a str> {
    let at = page.find(&format!(r#"id="{id}""#))?;
    let start = page[..at].rfind('<')?;
    let end = at + page[at..].find('>')?;
    Some(&page[start..=end])
}

/// The `value` attribute of the input with `id`.
pub(crate) fn value_of(page: &str, id: &str) -> Option<String> {
    let tag = tag_of(page, id)?;
    let rest = &tag[tag.find(r#"value=""#)? + 7..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text right inside the element with `id` (up to its first tag).
pub(crate) fn text_of(page: &str, id: &str) -> Option<String> {
    let tag = tag_of(page, id)?;
    let at = page.find(tag)? + tag.len();
    Some(page[at..at + page[at..].find('<')?].to_string())
}

#[tokio::test]
async fn a_refused_lead_form_comes_back_with_everything_typed() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("typist", Role::Staff).await;
    let mut code = uscc("320115", 88);
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    let mut fields = lead_fields("留存测试精密机械有限公司", &code);
    fields.extend([
        ("form[notes]", "展会上认识，下周回访"),
        ("form[high_tech]", "yes"),
        ("form[contacts][1][name]", "李工"),
        ("form[contacts][1][phone]", "13900001111"),
        ("form[contacts][2][name]", ""),
    ]);
    let (status, to) = plain_post(&app, &client, "leads/save", "/leads/new", &fields).await;
    assert!((300..400).contains(&status), "{status}");
    assert!(to.starts_with("/leads/new?") && to.contains("__err="), "{to}");
    let (status, page) = app.page(&client, &to).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="err-uscc""#) && page.contains("校验码错误"), "the error at the field");
    assert!(page.contains(r#"aria-invalid="true""#), "the code's box marked");
    assert!(!page.contains(r#"id="uscc-status""#), "said once: the live check does not repeat the server's message");
    for typed in [
        "留存测试精密机械有限公司",
        code.as_str(),
        "1.2亿",
        "张经理",
        "025-88881234",
        "展会上认识，下周回访",
        "李工",
        "13900001111",
    ] {
        assert!(page.contains(typed), "the form lost {typed:?}");
    }
    assert!(page.contains(r#"value="5g_communications" selected"#), "the chosen sector stays chosen");
    assert!(page.contains(r#"value="yes" selected"#), "the 高新 choice stays chosen");
    // Two contacts typed: two rows, one blank, two folded — refusing again adds no blank rows.
    assert_eq!(page.matches(r#"class="contact-row""#).count(), 5);
    let (_, to) = plain_post(&app, &client, "leads/save", &to, &fields).await;
    // Refused again from the refused page: one refusal in the address, not one per try.
    assert_eq!((to.matches("__err=").count(), to.matches("__path=").count()), (1, 1), "{to}");
    let (_, page) = app.page(&client, &to).await;
    assert_eq!(page.matches(r#"class="contact-row""#).count(), 5, "no blank rows pile up");

    // Taken once: the same URL opened again later shows an empty form, and nobody else sees it.
    let (_, to) = plain_post(&app, &client, "leads/save", "/leads/new", &fields).await;
    let _ = app.page(&client, &to).await;
    let (_, again) = app.page(&client, &to).await;
    assert!(!again.contains("展会上认识"), "a draft is shown once");
    let (other, _) = app.login_as("neighbour", Role::Staff).await;
    let (_, to) = plain_post(&app, &client, "leads/save", "/leads/new", &fields).await;
    let (_, theirs) = app.page(&other, &to).await;
    assert!(!theirs.contains("展会上认识"), "another user's draft is never shown");

    // The edit form keeps an edit's typing the same way, not the new form's.
    let good = uscc("320115", 89);
    let (status, id) = app.call(&client, "leads/save", &lead_fields("留存测试二有限公司", &good)).await;
    assert_eq!(status, 200, "{id}");
    let id = id.to_string();
    let edit = format!("/leads/{id}/edit");
    let mut changed = lead_fields("留存测试二有限公司", &good);
    changed.extend([("id", id.as_str()), ("form[planned_investment]", "很多"), ("form[version]", "1")]);
    changed.retain(|(k, v)| *k != "form[planned_investment]" || *v == "很多");
    let (_, to) = plain_post(&app, &client, "leads/save", &edit, &changed).await;
    assert!(to.starts_with(&format!("{edit}?")), "{to}");
    let (_, page) = app.page(&client, &to).await;
    assert!(page.contains("很多") && page.contains(r#"id="err-planned_investment""#), "the edit keeps its typing");

    // A good save goes to the lead.
    let (_, to) =
        plain_post(&app, &client, "leads/save", "/leads/new", &lead_fields("留存测试三有限公司", &uscc("320115", 90)))
            .await;
    assert!(to.starts_with("/leads/") && to[7..].parse::<i64>().is_ok(), "{to}");
}

#[tokio::test]
async fn a_new_token_and_calendar_url_show_once_on_the_page_and_never_in_a_url() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("keys", Role::Staff).await;
    let (status, to) = plain_post(&app, &client, "tokens/create", "/me", &[("name", "同步脚本"), ("days", "30")]).await;
    assert!((300..400).contains(&status) && to == "/me", "{status} {to}");
    let res = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store", "a page showing a secret is not cached");
    let page = res.text().await.unwrap();
    let token = value_of(&page, "new-token").unwrap_or_default();
    assert!(token.len() > 20, "the new token is on the page: {page}");
    assert!(!to.contains(&token));
    // It works, and it is not shown a second time.
    let res = client.get(app.url("/api/v1/leads")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = res.text().await.unwrap();
    assert!(!page.contains(&token) && !page.contains(r#"id="new-token""#));
    // A script calling the server function gets the token in the answer and leaves nothing.
    let (status, _) = app.call(&client, "tokens/create", &[("name", "脚本")]).await;
    assert_eq!(status, 200);
    assert!(!app.page(&client, "/me").await.1.contains(r#"id="new-token""#));

    let (_, to) = plain_post(&app, &client, "me/feed/new", "/me", &[]).await;
    assert_eq!(to, "/me");
    let (_, page) = app.page(&client, "/me").await;
    let feed = value_of(&page, "feed-url").unwrap_or_default();
    assert!(feed.contains("/ical/"), "the new calendar URL is on the page: {feed}");
    let path = feed.split_once("/ical/").map(|(_, p)| format!("/ical/{p}")).unwrap();
    assert_eq!(app.client().get(app.url(&path)).send().await.unwrap().status(), 200);

    let (_, to) = plain_post(&app, &client, "me/email", "/me", &[("email", "keys@example.cn")]).await;
    assert_eq!(to, "/me");
    assert!(app.page(&client, "/me").await.1.contains(r#"id="email-saved""#));
    let (_, to) = plain_post(&app, &client, "me/email", "/me", &[("email", "不是邮箱")]).await;
    let (_, page) = app.page(&client, &to).await;
    assert!(page.contains(r#"id="err-email""#) && !page.contains(r#"id="email-saved""#), "{to}");
}

#[tokio::test]
async fn bulk_assignment_and_a_password_reset_say_what_they_did() {
    let app = TestApp::spawn().await;
    let (boss, _) = app.login_as("boss", Role::Manager).await;
    let (_, staff) = app.login_as("fang", Role::Staff).await;
    let (status, team) = save_team(&app, &boss, None, "深圳驻点专班", "深圳", None, &[staff]).await;
    assert_eq!(status, 200, "{team}");
    let mut fields = vec![("team_id".to_string(), team.to_string())];
    for i in 0..2 {
        let (_, id) =
            app.call(&boss, "leads/save", &lead_fields(&format!("批量{i}有限公司"), &uscc("440305", 60 + i))).await;
        fields.push((format!("lead_ids[{id}]"), id.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, to) = plain_post(&app, &boss, "assign/leads", "/leads/unassigned", &refs).await;
    assert_eq!(to, "/leads/unassigned");
    let (_, page) = app.page(&boss, &to).await;
    assert_eq!(text_of(&page, "assign-done").as_deref(), Some("已分配 2 条线索"), "the count is on the page");
    // From the list's folded form too: the count shows above the list.
    let (_, to) = plain_post(&app, &boss, "assign/leads", "/leads?group=prd", &refs).await;
    assert_eq!(to, "/leads?group=prd");
    let (_, page) = app.page(&boss, &to).await;
    assert!(text_of(&page, "assign-done").is_some_and(|t| t.starts_with("已分配")), "the count is on the list");
    assert!(text_of(&app.page(&boss, &to).await.1, "assign-done").is_none(), "and only once");

    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (_, to) = plain_post(
        &app,
        &admin,
        "users/reset-password",
        "/admin/users",
        &[("id", &staff.to_string()), ("password", "Zhao-Shang-2026!")],
    )
    .await;
    assert_eq!(to, "/admin/users");
    assert!(app.page(&admin, "/admin/users").await.1.contains(r#"id="reset-done""#));
}

#[tokio::test]
async fn a_stage_move_and_a_kanban_move_post_back_to_their_page() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("mover", Role::Manager).await;
    let (_, id) = app.call(&client, "leads/save", &lead_fields("移动测试有限公司", &uscc("320115", 91))).await;
    let id = id.to_string();
    let lead = format!("/leads/{id}");
    let move_to = |to: &'static str, version: &'static str| {
        vec![("lead_id", id.clone()), ("form[to]", to.to_string()), ("form[version]", version.to_string())]
    };
    let fields = move_to("contact", "1");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, to) = plain_post(&app, &client, "pipeline/move", &lead, &refs).await;
    assert_eq!(to, format!("{lead}#pipeline"), "back where the new stage shows, not at the page's top");
    // It says where the lead went, once.
    let page = app.page(&client, &lead).await.1;
    assert_eq!(text_of(&page, "moved").as_deref(), Some("已移至「接洽」阶段"), "the move said");
    assert!(!app.page(&client, &lead).await.1.contains(r#"id="moved""#), "said once");
    // From the board, at the column the card went to, the card saying so.
    let fields = move_to("visit", "2");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, to) = plain_post(&app, &client, "pipeline/move", "/kanban?group=yrd", &refs).await;
    assert_eq!(to, "/kanban?group=yrd#col-visit");
    let board = app.page(&client, "/kanban").await.1;
    let column = &board[board.find(r#"id="col-visit""#).expect("the column")..];
    let column = &column[..column.find("</section>").unwrap_or(column.len())];
    assert!(column.contains("移动测试有限公司") && column.contains(r#"id="moved""#), "the card in its column says so");

    // From the board: a skip without its comment comes back to the board with the reason.
    let fields = move_to("signed", "3");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, to) = plain_post(&app, &client, "pipeline/move", "/kanban", &refs).await;
    assert!(to.starts_with("/kanban?") && to.contains("__err="), "{to}");
    let (status, page) = app.page(&client, &to).await;
    assert_eq!(status, 200);
    // At the card, once (not again above the board): its form open with the stage chosen and
    // the reason, the choice focused (scrolled to).
    assert!(!page.contains(r#"id="kanban-error""#), "said at the card, not twice");
    assert_eq!(page.matches(r#"<details open class="card-move">"#).count(), 1, "the refused card's form only");
    let card = &page[page.find(r#"<details open class="card-move">"#).unwrap_or(0)..];
    assert!(card[..card.find("</details>").unwrap_or(card.len())].contains("field-error"), "the reason at the card");
    assert!(page.contains(r#"<select name="form[to]" required autofocus>"#), "focused");
    assert!(page.contains(r#"<option value="signed" selected>"#), "the stage chosen");
    // A board that does not show the card (a Pearl River filter; the lead is in Nanjing) says it
    // above the board.
    let (_, to) = plain_post(&app, &client, "pipeline/move", "/kanban?group=prd", &refs).await;
    let page = app.page(&client, &to).await.1;
    // above the board, naming the company (the banner said only why).
    let banner = text_of(&page, "kanban-error").unwrap_or_default();
    assert!(banner.starts_with("移动测试有限公司："), "the board says whose and why: {banner}");
    assert_eq!(page.matches("移动测试有限公司").count(), 1, "no card of it on this board");
    // On the lead page the folded move form opens to show why, with the stage chosen and what was
    // typed, the choice focused (the browser scrolls to it).
    let mut typed = refs.clone();
    typed.push(("form[signed_investment]", "2亿"));
    let (_, to) = plain_post(&app, &client, "pipeline/move", &lead, &typed).await;
    let (_, page) = app.page(&client, &to).await;
    let form = tag_of(&page, "move-form").unwrap_or_default();
    assert!(form.contains(" open"), "{form}");
    let select = tag_of(&page, "move-to").unwrap_or_default();
    assert!(select.contains("autofocus"), "{select}");
    assert!(page.contains(r#"<option value="signed" selected"#), "the stage chosen, not the next one");
    assert_eq!(value_of(&page, "signed-investment").as_deref(), Some("2亿"));
    assert!(!tag_of(&app.page(&client, &lead).await.1, "move-form").unwrap_or_default().contains(" open"));
    // Sent again, right, from the refused page: back without the old refusal in the address
    // (kept, the page would show it again).
    assert!(to.contains("__err="), "{to}");
    let fields = move_to("negotiation", "3");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, back) = plain_post(&app, &client, "pipeline/move", &to, &refs).await;
    assert_eq!(back, format!("{lead}#pipeline"));
}

#[tokio::test]
async fn a_refused_import_mapping_comes_back_as_it_was_chosen() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("importer", Role::Manager).await;
    let file = format!("企业名称,统一社会信用代码,行业\r\n映射留存电子有限公司,{},电子通信\r\n", uscc("320115", 95));
    let id = super::imports::upload(&app, &client, "映射.csv", file.into_bytes()).await.expect("upload");
    let from = format!("/import/{id}");
    // No column is the company name: refused, and the form shows that choice, not the saved one.
    let fields = [
        ("id", id.to_string()),
        ("mapping[0]", String::new()),
        ("mapping[1]", "uscc".into()),
        ("mapping[2]", "industry".into()),
        ("duplicate_mode", "fill".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, to) = plain_post(&app, &client, "imports/configure", &from, &fields).await;
    assert!((300..400).contains(&status), "{status}");
    assert!(to.starts_with(&format!("{from}?")) && to.contains("__err="), "{to}");
    let (_, page) = app.page(&client, &to).await;
    assert!(page.contains("必须有一列对应"), "the refusal is said");
    let first = &page[page.find(r#"id="mapping-0""#).expect("mapping select")..];
    let first = &first[..first.find("</select>").unwrap()];
    assert!(first.contains(r#"<option value="" selected"#), "the column stays unmapped as chosen: {first}");
    assert!(tag_of(&page, "mode-fill").is_some_and(|t| t.contains("checked")), "the mode chosen stays chosen");
    // The saved mapping is unchanged, and shown again once the draft is used.
    let (_, again) = app.page(&client, &from).await;
    let first = &again[again.find(r#"id="mapping-0""#).unwrap()..];
    assert!(first[..first.find("</select>").unwrap()].contains(r#"value="company_name" selected"#));
}

#[tokio::test]
async fn a_refused_new_trip_comes_back_with_what_was_typed_and_each_error_at_its_field() {
    let app = TestApp::spawn().await;
    let (client, me) = app.login_as("planner", Role::Manager).await;
    let (_, colleague) = app.login_as("colleague", Role::Staff).await;
    let (me, colleague) = (me.to_string(), colleague.to_string());
    let member = format!("form[members][{colleague}]");
    let fields = [
        ("form[kind]", "outbound"),
        ("form[purpose]", "拜访深圳电子信息企业"),
        ("form[destination]", "深圳"),
        ("form[start_on]", "2026-12-10"),
        ("form[end_on]", "2026-12-08"),
        ("form[team_id]", ""),
        (member.as_str(), colleague.as_str()),
    ];
    let (status, to) = plain_post(&app, &client, "trips/create", "/trips", &fields).await;
    assert!((300..400).contains(&status) && to.starts_with("/trips?") && to.contains("__err="), "{status} {to}");
    let (_, page) = app.page(&client, &to).await;
    // The return date's message stands under the return date, not under the row's last field.
    let (end, said, team) =
        (page.find(r#"id="trip-end""#), page.find("返回日期不能早于出发日期"), page.find(r#"id="trip-team""#));
    assert!(end < said && said < team && end.is_some(), "{end:?} {said:?} {team:?}");
    assert_eq!(value_of(&page, "trip-destination").as_deref(), Some("深圳"));
    assert_eq!(value_of(&page, "trip-start").as_deref(), Some("2026-12-10"));
    assert_eq!(value_of(&page, "trip-end").as_deref(), Some("2026-12-08"));
    assert_eq!(value_of(&page, "trip-purpose").as_deref(), Some("拜访深圳电子信息企业"));
    // Said at the form's top; the first field refused is focused (the browser scrolls there, so
    // on a phone its message is on screen), no other.
    let focused = |id: &str| tag_of(&page, id).unwrap_or_default().contains("autofocus");
    assert!(page.contains(r#"id="trip-refused""#) && focused("trip-end") && !focused("trip-kind"));
    // The people ticked stay ticked (the colleague), and the planner, not ticked, stays so.
    let ticked = |id: &str| {
        let at = page.find(&format!(r#"name="form[members][{id}]""#)).expect("member box");
        let tag = &page[page[..at].rfind('<').unwrap()..at + page[at..].find('>').unwrap()];
        tag.contains("checked")
    };
    assert!(ticked(&colleague) && !ticked(&me), "{page}");
}

#[tokio::test]
async fn a_refused_signing_says_each_figure_at_its_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("signer", Role::Manager).await;
    let (status, lead) =
        app.call(&client, "leads/save", &lead_fields("签约留存测试有限公司", &uscc("320115", 97))).await;
    assert_eq!(status, 200, "{lead}");
    let (lead, from) = (lead.to_string(), format!("/leads/{lead}"));
    let fields = [
        ("lead_id", lead.as_str()),
        ("form[to]", "signed"),
        ("form[comment]", "签约"),
        ("form[signed_investment]", "2亿"),
        ("form[signed_land_mu]", "五十亩左右"),
        ("form[signed_tax]", "很多"),
    ];
    let (_, to) = plain_post(&app, &client, "pipeline/move", &from, &fields).await;
    assert!(to.contains("__err="), "{to}");
    let (_, page) = app.page(&client, &to).await;
    // Under the land and the tax each (they were not shown at all before), not under 计划开工.
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} in {page}"));
    let first = at("请输入数字");
    let after = first + "请输入数字".len();
    let second = after + page[after..].find("请输入数字").expect("a second message");
    assert!(at(r#"name="form[signed_land_mu]""#) < first && first < at(r#"name="form[signed_output]""#));
    assert!(at(r#"name="form[signed_tax]""#) < second && second < at(r#"name="form[planned_start]""#));
}

#[tokio::test]
async fn a_refused_visit_comes_back_with_what_was_typed() {
    use super::trips::{day, new_trip};
    let app = TestApp::spawn().await;
    let (client, me) = app.login_as("visitor", Role::Manager).await;
    let lead = super::teams::new_lead(&app, &client, "走访留存电子有限公司", "440305", 31).await;
    let trip = new_trip(&app, &client, "深圳走访留存", &[me], &day(3), &day(4)).await;
    let from = format!("/trips/{trip}");
    let (date, lead_text) = (day(4), format!("#{lead}"));
    let fields = [
        ("trip_id", trip.as_str()),
        ("form[lead]", lead_text.as_str()),
        ("form[date]", date.as_str()),
        ("form[start]", "15:00"),
        ("form[end]", "14:00"),
        ("form[place]", "南山区科技园"),
        ("form[contact]", "李总 13800000000"),
    ];
    let (_, to) = plain_post(&app, &client, "visits/add", &from, &fields).await;
    assert!(to.starts_with(&format!("{from}?")) && to.contains("__err="), "{to}");
    let (_, page) = app.page(&client, &to).await;
    let (end, said, place) =
        (page.find(r#"id="visit-end""#), page.find("结束时间须晚于开始时间"), page.find(r#"id="visit-place""#));
    assert!(end.is_some() && end < said && said < place, "the message under the end time: {end:?} {said:?} {place:?}");
    for (id, typed) in [
        ("visit-lead", lead_text.as_str()),
        ("visit-date", date.as_str()),
        ("visit-start", "15:00"),
        ("visit-end", "14:00"),
        ("visit-place", "南山区科技园"),
        ("visit-contact", "李总 13800000000"),
    ] {
        assert_eq!(value_of(&page, id).as_deref(), Some(typed), "{id}");
    }
    let focused = |id: &str| tag_of(&page, id).unwrap_or_default().contains("autofocus");
    assert!(page.contains(r#"id="visit-refused""#) && focused("visit-end") && !focused("visit-lead"));
    // An empty start time is required, not a format error.
    let mut empty_start = fields;
    empty_start[3].1 = "";
    let (_, to) = plain_post(&app, &client, "visits/add", &from, &empty_start).await;
    let (_, page) = app.page(&client, &to).await;
    let (start, said, end) = (page.find(r#"id="visit-start""#), page.find("必填"), page.find(r#"id="visit-end""#));
    assert!(start.is_some() && start < said && said < end, "必填 under the start: {start:?} {said:?} {end:?}");
}

#[tokio::test]
async fn an_added_visit_is_where_the_page_lands_and_says_so() {
    use super::trips::{day, new_trip};
    let app = TestApp::spawn().await;
    let (client, me) = app.login_as("adder", Role::Manager).await;
    super::teams::new_lead(&app, &client, "走访确认电子有限公司", "440305", 32).await;
    let trip = new_trip(&app, &client, "深圳走访确认", &[me], &day(3), &day(4)).await;
    let from = format!("/trips/{trip}");
    let date = day(3);
    let fields = [
        ("trip_id", trip.as_str()),
        // Part of the name: one lead has it.
        ("form[lead]", "走访确认"),
        ("form[date]", date.as_str()),
        ("form[start]", "09:00"),
        ("form[end]", "10:00"),
    ];
    let (_, to) = plain_post(&app, &client, "visits/add", &from, &fields).await;
    let (trip_page, anchor) = to.split_once('#').expect("an anchor");
    assert_eq!(trip_page, from);
    let (_, page) = app.page(&client, &to).await;
    let visit = tag_of(&page, anchor).unwrap_or_else(|| panic!("{anchor} on the page"));
    assert!(visit.starts_with("<article"), "{visit}");
    let at = page.find(visit).unwrap_or(0);
    assert!(page[at..].find(r#"id="visit-added""#).is_some_and(|d| d < 400), "said at the visit");
    assert_eq!(text_of(&page, "visit-added").as_deref(), Some("已添加这次走访"));
    assert!(!app.page(&client, &from).await.1.contains(r#"id="visit-added""#), "said once");
}

/// A refused 跟进记录 (dated after today) comes back open, with what was typed and the message
/// at its date (the summary was lost, and the date's message not shown at all).
#[tokio::test]
async fn a_refused_contact_comes_back_with_what_was_typed() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("caller", Role::Staff).await;
    let (status, lead) =
        app.call(&client, "leads/save", &lead_fields("跟进留存测试有限公司", &uscc("320115", 98))).await;
    assert_eq!(status, 200, "{lead}");
    let (lead, from) = (lead.to_string(), format!("/leads/{lead}"));
    let fields = [
        ("lead_id", lead.as_str()),
        ("form[kind]", "wechat"),
        ("form[happened_on]", "2099-03-01"),
        ("form[participants]", "王总"),
        ("form[summary]", "微信沟通扩产用地需求"),
        ("form[next_step]", "寄送标准地清单"),
        ("form[next_due]", "2099-03-08"),
    ];
    let (_, to) = plain_post(&app, &client, "pipeline/log", &from, &fields).await;
    assert!(to.contains("__err="), "{to}");
    let (_, page) = app.page(&client, &to).await;
    assert!(page.contains("跟进日期不能晚于今天"), "{page}");
    assert!(page.contains(">微信沟通扩产用地需求</textarea>"), "{page}");
    assert_eq!(value_of(&page, "activity-next").as_deref(), Some("寄送标准地清单"));
    assert_eq!(value_of(&page, "activity-due").as_deref(), Some("2099-03-08"));
    assert!(page.contains(r#"value="wechat" selected"#), "{page}");
    // Opened afresh, the form is empty again.
    let (_, page) = app.page(&client, &from).await;
    assert!(!page.contains("微信沟通扩产用地需求"), "{page}");
}
