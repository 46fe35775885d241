//! The layers run one way (ARCHITECTURE.md): pages → api → backend → entities, with `wire` and
//! `domain` below them all. This test reads `app/src`, finds every `crate::…` and `super::…` path
//! each file names, and fails when a file names a layer it may not, or when files name each other
//! in a cycle. It reads source text, so it needs no build of the app and runs in a second.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules a module under each layer may name. A layer not listed may name any.
const ALLOWED: &[(&str, &[&str])] = &[
    // Translations are compiled-in text: the label tables name domain values, and the importer's
    // value matching reads the labels. Neither does I/O; the file-level cycle check still holds.
    ("domain", &["domain", "i18n"]),
    ("i18n", &["i18n", "domain"]),
    ("error", &["error", "domain", "i18n", "wire"]),
    ("wire", &["wire", "domain", "error", "i18n"]),
    ("backend", &["backend", "wire", "domain", "error", "i18n"]),
    ("api", &["api", "backend", "wire", "domain", "error", "i18n"]),
    ("components", &["components", "api", "wire", "domain", "error", "i18n"]),
    ("pages", &["pages", "components", "api", "wire", "domain", "error", "i18n"]),
];

fn main() {
    reads_what_it_should();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let files = modules(&src);
    let names: BTreeSet<Vec<String>> = files.keys().cloned().collect();
    let mut problems = Vec::new();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, path) in &files {
        let text = strip_comments(&without_tests(&std::fs::read_to_string(path).expect("read a source file")));
        let layer = module.first().map(String::as_str).unwrap_or("lib");
        let allowed = ALLOWED.iter().find(|(l, _)| *l == layer).map(|(_, a)| *a);
        for target in paths(&text, module) {
            let Some(found) = longest_module(&names, &target) else {
                problems.push(format!("{} names {}, which is in no module file", show(module), show(&target)));
                continue;
            };
            let top = found[0].as_str();
            if let Some(allowed) = allowed {
                if !allowed.contains(&top) {
                    problems.push(format!(
                        "{} names {} (a {layer} module may name only {allowed:?})",
                        show(module),
                        show(&target)
                    ));
                }
            }
            // sea-orm's entities name each other in pairs (`Related` both ways) by design.
            let entities = |m: &[String]| m.len() > 2 && m[0] == "backend" && m[1] == "entities";
            if &found != module && !is_ancestor(&found, module) && !(entities(module) && entities(&found)) {
                graph.entry(module.clone()).or_default().insert(found);
            }
        }
    }
    for cycle in cycles(&graph) {
        problems.push(format!("a cycle: {}", cycle.iter().map(|m| show(m)).collect::<Vec<_>>().join(" → ")));
    }
    if !problems.is_empty() {
        eprintln!("{} layer problem(s):\n  {}", problems.len(), problems.join("\n  "));
        std::process::exit(1);
    }
    println!(
        "layers: {} modules, {} edges, no backward import, no cycle",
        files.len(),
        graph.values().map(BTreeSet::len).sum::<usize>()
    );
}

/// The reader itself, on the shapes that fooled it before: a `'"'` char literal, a raw string and
/// a block comment naming a layer, `super::` and `self::` inside an inline module.
fn reads_what_it_should() {
    let text = r##"
        use crate::domain::a;
        const Q: char = '"'; const B: char = '{'; fn f<'a>(x: &'a str) {}
        use crate::wire::b;
        const SQL: &str = r#"select "crate::pages::x" "#; /* crate::pages::y /* nested */ */
        let s = "a \" crate::pages::z";
        mod inner {
            use super::sibling;
            use self::deeper::c;
        }
        use super::after;
        use crate::{pages::p, domain::{d1, d2::x}};
        use super::{scoring::rescore};
    "##;
    let module = ["backend".to_string(), "services".to_string(), "leads".to_string()];
    let found: Vec<String> = paths(&strip_comments(text), &module).iter().map(|p| p.join("::")).collect();
    let expected = [
        "domain::a",
        "wire::b",
        "backend::services::leads::sibling",
        "backend::services::leads::inner::deeper::c",
        "backend::services::after",
        "pages::p",
        "domain::d1",
        "domain::d2::x",
        "backend::services::scoring::rescore",
    ];
    assert_eq!(found, expected, "the layer test's own reader");
}

fn show(m: &[String]) -> String {
    format!("crate::{}", m.join("::"))
}

/// `a::b` is an ancestor of `a::b::c` (a parent module may declare and re-export its children).
fn is_ancestor(a: &[String], b: &[String]) -> bool {
    a.len() < b.len() && b.starts_with(a)
}

/// Every module file under `src`, by its path inside the crate (`backend::services::leads`).
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> =
                rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            if parts.is_empty() {
                continue;
            }
            out.insert(parts, path);
        }
    }
    out
}

/// The source before its `#[cfg(test)]` module: a test may build what it checks from any layer.
fn without_tests(text: &str) -> String {
    let at = ["#[cfg(test)]\nmod ", "#[cfg(all(test, "].iter().filter_map(|m| text.find(m)).min();
    text[..at.unwrap_or(text.len())].to_string()
}

/// The source with comments (doc comments name layers in prose), string and raw-string literals
/// and char literals (`'"'`, `'{'`) blanked out, keeping line breaks; lifetimes (`'a`) stay.
fn strip_comments(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize, pat: &str| pat.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c));
    while i < s.len() {
        let c = s[i];
        if at(i, "//") {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let mut depth = 0;
            while i < s.len() {
                if at(i, "/*") {
                    depth += 1;
                    i += 2;
                } else if at(i, "*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if s[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && s.get(i + 1) == Some(&'r')))
            && (i == 0 || !(s[i - 1].is_alphanumeric() || s[i - 1] == '_'))
            && {
                let j = i + if c == 'b' { 2 } else { 1 };
                let hashes = s[j..].iter().take_while(|h| **h == '#').count();
                s.get(j + hashes) == Some(&'"')
            }
        {
            // r"…", r#"…"#, br"…": ends at the quote followed by as many #.
            let j = i + if c == 'b' { 2 } else { 1 };
            let hashes = s[j..].iter().take_while(|h| **h == '#').count();
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            i = j + hashes + 1;
            while i < s.len() && !at(i, &close) {
                if s[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += close.chars().count();
        } else if c == '"' {
            i += 1;
            while i < s.len() && s[i] != '"' {
                if s[i] == '\n' {
                    out.push('\n');
                }
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' && (s.get(i + 1) == Some(&'\\') || s.get(i + 2) == Some(&'\'')) {
            // A char literal: 'x' or an escape ('\n', '\'', '\u{..}').
            i += if s.get(i + 1) == Some(&'\\') { 3 } else { 2 };
            while i < s.len() && s[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The absolute module paths a file names: `crate::a::b`, `crate::{a::b, c}`, `super::x` and
/// `self::x`, the last two resolved inside any inline `mod name { … }` they are written in.
fn paths(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let starts = |i: usize, pat: &str| pat.chars().enumerate().all(|(k, c)| bytes.get(i + k) == Some(&c));
    // Inline modules open here: (name, the brace depth inside them).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        let here = || module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect::<Vec<String>>();
        match bytes[i] {
            '{' => {
                depth += 1;
                i += 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                while inline.last().is_some_and(|(_, d)| *d > depth) {
                    inline.pop();
                }
                i += 1;
            }
            _ if boundary && starts(i, "mod") && bytes.get(i + 3).is_some_and(|c| c.is_whitespace()) => {
                let mut j = i + 3;
                while bytes.get(j).is_some_and(|c| c.is_whitespace()) {
                    j += 1;
                }
                let name_start = j;
                while bytes.get(j).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    j += 1;
                }
                let name: String = bytes[name_start..j].iter().collect();
                while bytes.get(j).is_some_and(|c| c.is_whitespace()) {
                    j += 1;
                }
                if bytes.get(j) == Some(&'{') && !name.is_empty() {
                    inline.push((name, depth + 1));
                }
                i = j;
            }
            _ if boundary && starts(i, "crate::") => {
                i += 7;
                read_tree(&bytes, &mut i, Vec::new(), &mut out);
            }
            _ if boundary && (starts(i, "super::") || starts(i, "self::")) => {
                let mut base = here();
                if starts(i, "self::") {
                    i += 6;
                } else {
                    while starts(i, "super::") {
                        base.pop();
                        i += 7;
                    }
                }
                read_tree(&bytes, &mut i, base, &mut out);
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads `a::b::{c, d::e}` from `i`, pushing each full path prefixed by `base`.
fn read_tree(s: &[char], i: &mut usize, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = base;
    loop {
        if s.get(*i) == Some(&'{') {
            read_group(s, i, &path, out);
            return;
        }
        let start = *i;
        while *i < s.len() && (s[*i].is_alphanumeric() || s[*i] == '_') {
            *i += 1;
        }
        if *i > start {
            path.push(s[start..*i].iter().collect());
        }
        if s.get(*i) == Some(&':') && s.get(*i + 1) == Some(&':') {
            *i += 2;
            continue;
        }
        out.push(path);
        return;
    }
}

/// Reads `{b, c::d, e::{f}}` from `i` (at the `{`), each under `path`.
fn read_group(s: &[char], i: &mut usize, path: &[String], out: &mut Vec<Vec<String>>) {
    *i += 1;
    loop {
        while s.get(*i).is_some_and(|c| c.is_whitespace() || *c == ',') {
            *i += 1;
        }
        match s.get(*i) {
            None => return,
            Some('}') => {
                *i += 1;
                return;
            }
            Some(_) => {
                let before = *i;
                read_tree(s, i, path.to_vec(), out);
                while s.get(*i).is_some_and(|c| *c != ',' && *c != '}') {
                    *i += 1;
                }
                if *i == before {
                    *i += 1;
                }
            }
        }
    }
}

fn longest_module(names: &BTreeSet<Vec<String>>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| names.contains(p))
}

/// Strongly connected groups of more than one file (Tarjan), each as a list of modules.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct T<'a> {
        g: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        next: usize,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Vec<String>) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(edges) = t.g.get(v) {
            for w in edges {
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let l = t.low[v].min(t.low[w]);
                    t.low.insert(v, l);
                } else if t.on.contains(w) {
                    let l = t.low[v].min(t.index[w]);
                    t.low.insert(v, l);
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}
