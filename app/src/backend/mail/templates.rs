//! The messages the app sends, in the recipient's language, as plain text and HTML.

use crate::i18n::{tr, tr_args, Locale};

pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A line of a letter, optionally linking into the app.
pub struct Line {
    pub text: String,
    pub link: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Greeting, intro, the lines (each with its link), and the signature.
fn letter(locale: Locale, name: &str, subject: String, intro: String, lines: &[Line]) -> Letter {
    let greeting = tr_args(locale, "mail.greeting", &args(&[("name", name)]));
    let signature = tr(locale, "mail.signature");
    let mut text = format!("{greeting}\n\n{intro}\n\n");
    let mut html = format!(
        "<html><body style=\"font-family:sans-serif\"><p>{}</p><p>{}</p><ul>",
        escape(&greeting),
        escape(&intro)
    );
    for l in lines {
        text.push_str("- ");
        text.push_str(&l.text);
        if let Some(link) = &l.link {
            text.push_str(&format!("\n  {link}"));
        }
        text.push('\n');
        match &l.link {
            Some(link) => html.push_str(&format!("<li><a href=\"{}\">{}</a></li>", escape(link), escape(&l.text))),
            None => html.push_str(&format!("<li>{}</li>", escape(&l.text))),
        }
    }
    text.push_str(&format!("\n{signature}\n"));
    html.push_str(&format!("</ul><p style=\"color:#666\">{}</p></body></html>", escape(signature)));
    Letter { subject, text, html }
}

pub fn assigned(locale: Locale, name: &str, by: &str, leads: &[Line]) -> Letter {
    let count = leads.len().to_string();
    letter(
        locale,
        name,
        tr_args(locale, "mail.assigned.subject", &args(&[("count", &count)])),
        tr_args(locale, "mail.assigned.intro", &args(&[("by", by), ("count", &count)])),
        leads,
    )
}

/// A trip the recipient is on was published (`changed` false) or changed after that.
pub fn trip(
    locale: Locale,
    name: &str,
    changed: bool,
    title: &str,
    dates: &str,
    link: String,
    visits: Vec<Line>,
) -> Letter {
    let (subject_key, intro_key) = if changed {
        ("mail.trip.changed.subject", "mail.trip.changed.intro")
    } else {
        ("mail.trip.planned.subject", "mail.trip.planned.intro")
    };
    let a = args(&[("title", title), ("dates", dates)]);
    let mut lines = vec![Line { text: tr(locale, "mail.trip.open").to_string(), link: Some(link) }];
    if visits.is_empty() {
        lines.push(Line { text: tr(locale, "mail.trip.no_visits").to_string(), link: None });
    }
    lines.extend(visits);
    letter(locale, name, tr_args(locale, subject_key, &a), tr_args(locale, intro_key, &a), &lines)
}

/// To someone taken off a published trip: they are no longer on it (its events cancelled in the
/// attached `.ics`). No link: the trip's page may no longer be theirs to open.
pub fn trip_left(locale: Locale, name: &str, title: &str, dates: &str) -> Letter {
    let a = args(&[("title", title), ("dates", dates)]);
    letter(
        locale,
        name,
        tr_args(locale, "mail.trip.left.subject", &a),
        tr_args(locale, "mail.trip.left.intro", &a),
        &[],
    )
}

pub fn visit_reminder(locale: Locale, name: &str, company: &str, when: &str, visit: Line) -> Letter {
    let a = args(&[("company", company), ("when", when)]);
    letter(
        locale,
        name,
        tr_args(locale, "mail.reminder.subject", &a),
        tr_args(locale, "mail.reminder.intro", &a),
        &[visit],
    )
}

pub fn overdue(locale: Locale, name: &str, items: &[Line]) -> Letter {
    let count = items.len().to_string();
    let a = args(&[("count", &count)]);
    letter(locale, name, tr_args(locale, "mail.overdue.subject", &a), tr_args(locale, "mail.overdue.intro", &a), items)
}

/// 周调度: last week's pack.
pub fn weekly(locale: Locale, name: &str, week: &str, from: &str, to: &str, lines: &[Line]) -> Letter {
    let a = args(&[("week", week), ("from", from), ("to", to)]);
    letter(locale, name, tr_args(locale, "mail.weekly.subject", &a), tr_args(locale, "mail.weekly.intro", &a), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_escape_html_and_keep_links_in_text() {
        let l = assigned(
            Locale::ZhCn,
            "王芳",
            "张敏",
            &[Line { text: "<华芯> 半导体".into(), link: Some("http://x/leads/1".into()) }],
        );
        assert!(l.subject.contains('1'));
        assert!(l.text.contains("http://x/leads/1"));
        assert!(l.html.contains("&lt;华芯&gt;"));
        assert!(!l.html.contains("<华芯>"));
        let en = overdue(Locale::En, "Fang", &[Line { text: "call back".into(), link: None }]);
        assert!(en.subject.is_ascii(), "{}", en.subject);
    }
}
