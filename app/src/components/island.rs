//! What every island shares: its readiness mark and translated text handed in as props (the
//! locale context does not reach an island in the browser, so the server translates for it).

use leptos::html::Div;
use leptos::prelude::*;

/// Marks `root` `data-ready="1"` once the island runs in the browser (effects never run on the
/// server), so a test or a user script can tell a live island from its server-rendered HTML.
pub fn mark_ready(root: NodeRef<Div>) {
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            let _ = el.set_attribute("data-ready", "1");
        }
    });
}

/// Fills `{name}` placeholders of an already translated template (as `i18n::tr_args` does on
/// the server, for text an island builds in the browser).
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(template.to_string(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_filled() {
        assert_eq!(super::fill("第 {pos} 位“{ch}”", &[("pos", "3".into()), ("ch", "I".into())]), "第 3 位“I”");
    }
}
