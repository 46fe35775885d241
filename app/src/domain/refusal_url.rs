//! server_fn's refusal parameters in a page's address (`__path=…&__err=…`): how a refused plain
//! form post reaches the server-rendered page it returns to.

/// `href` (an address or a path, with or without a query and a fragment) with server_fn's
/// refusal pairs taken out — all of them, or (`keep_newest`) all but the last `__path=` and the
/// last `__err=` — and no `?` left bare. `None` when that changes nothing.
/// "/leads/new?x=1&__path=a&__err=old&__path=a&__err=new" → "/leads/new?x=1&__path=a&__err=new"
/// (keeping the newest), "/leads/new?x=1" (not).
pub fn without_refusals(href: &str, keep_newest: bool) -> Option<String> {
    let (base, rest) = href.split_once('?')?;
    let (query, fragment) = rest.split_once('#').map_or((rest, None), |(q, f)| (q, Some(f)));
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let refusal = |p: &str| p.starts_with("__path=") || p.starts_with("__err=");
    let last = |name: &str| pairs.iter().rposition(|p| p.starts_with(name)).filter(|_| keep_newest);
    let newest = [last("__path="), last("__err=")];
    let kept: Vec<&str> =
        pairs.iter().enumerate().filter(|(i, p)| !refusal(p) || newest.contains(&Some(*i))).map(|(_, p)| *p).collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    (out != href).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::without_refusals;

    #[test]
    fn refusals_leave_the_address_or_only_the_newest_stays() {
        let twice = "http://h/leads/new?x=1&__path=a&__err=old&__path=a&__err=new#f";
        assert_eq!(without_refusals(twice, true).as_deref(), Some("http://h/leads/new?x=1&__path=a&__err=new#f"));
        assert_eq!(without_refusals(twice, false).as_deref(), Some("http://h/leads/new?x=1#f"));
        assert_eq!(without_refusals("/leads/new?__path=a&__err=b", true), None);
        assert_eq!(without_refusals("/leads/new?__path=a&__err=b", false).as_deref(), Some("/leads/new"));
        assert_eq!(without_refusals("/import/1?", true).as_deref(), Some("/import/1"));
        assert_eq!(without_refusals("/leads?stage=visit", false), None);
        assert_eq!(without_refusals("/leads", false), None);
    }
}
