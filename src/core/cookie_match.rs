//! Matching cookie names against the config's patterns, where `*` stands
//! for any run of characters (`_ga_*` matches `_ga_ZW2026DEMO`).

#[allow(unused_imports)]
use crate::prelude::*;

/// Whether `name` matches `pattern` (`*` matches any run, even an empty one).
pub fn matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    // Iterative glob matching with backtracking to the last `*`: linear in
    // practice and never recursive, so hostile names cannot blow the stack.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if pi < p.len() && p[pi] == n[ni] {
            pi += 1;
            ni += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p.iter().skip(pi).all(|&b| b == b'*')
}

/// Whether `name` matches any of `patterns`.
pub fn matches_any<'a>(mut patterns: impl Iterator<Item = &'a str>, name: &str) -> bool {
    patterns.any(|p| matches(p, name))
}

/// The cookie names in a `document.cookie` string (`a=1; b=2` -> `a`, `b`).
pub fn cookie_names(cookies: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for (name, _) in cookie_pairs(cookies) {
        names.push(name);
    }
    names
}

/// The `name=value` pairs of a `document.cookie` string, trimmed; a pair
/// without `=` is a name with an empty value. Pairs without a name are
/// left out. The same name comes several times when it is set for several
/// domains or paths.
pub fn cookie_pairs(cookies: &str) -> Vec<(&str, &str)> {
    let mut pairs = Vec::new();
    let mut start = 0;
    // One past the end closes the last pair.
    for i in 0..=cookies.len() {
        if cookies.as_bytes().get(i).is_some_and(|b| *b != b';') {
            continue;
        }
        let pair = cookies.get(start..i).unwrap_or_default();
        let end = pair.bytes().position(|b| b == b'=').unwrap_or(pair.len());
        let name = pair.get(..end).unwrap_or_default().trim_ascii();
        if !name.is_empty() {
            pairs.push((name, pair.get(end + 1..).unwrap_or_default().trim_ascii()));
        }
        start = i + 1;
    }
    pairs
}

/// The domains a cookie seen on `host` may have been set for: the host
/// itself and each parent domain with at least two labels
/// (`www.shop.example` -> `www.shop.example`, `shop.example`). IP addresses
/// and single-label hosts have only themselves.
pub fn cookie_domains(host: &str) -> Vec<&str> {
    let is_ip = host.bytes().all(|b| b.is_ascii_digit() || b == b'.') || host.bytes().any(|b| b == b':');
    let mut out = vec![host];
    if is_ip {
        return out;
    }
    // What follows each dot is a parent domain, unless it has no dot of its
    // own (a top-level domain). Byte loops, not `str` patterns: smaller wasm.
    for (i, b) in host.bytes().enumerate() {
        if let (b'.', Some(parent)) = (b, host.get(i + 1..)) {
            if parent.bytes().any(|b| b == b'.') {
                out.push(parent);
            }
        }
    }
    out
}

/// The paths a cookie seen on `pathname` may have been set for: `/` and
/// every ancestor of the page, with and without a closing `/` (a cookie set
/// with `path=/shop/` is another cookie than one with `path=/shop`):
/// `/a/b/c.html` -> `/`, `/a`, `/a/`, `/a/b`, `/a/b/`, `/a/b/c.html`.
/// A path goes into a `document.cookie` string, so none is given from the
/// first `;`, `,` or control character on: `/p;max-age=86400;x/` would
/// otherwise write attributes of its own.
pub fn cookie_paths(pathname: &str) -> Vec<&str> {
    let safe = pathname.bytes().position(|b| b == b';' || b == b',' || b < 0x20 || b == 0x7f);
    let pathname = pathname.get(..safe.unwrap_or(pathname.len())).unwrap_or_default();
    let mut out = vec!["/"];
    for (i, b) in pathname.bytes().enumerate().skip(1) {
        if let (b'/', Some(ancestor), Some(with_slash)) = (b, pathname.get(..i), pathname.get(..=i)) {
            out.push(ancestor);
            out.push(with_slash);
        }
    }
    // The page itself, unless its path was cut short.
    if safe.is_none() && pathname.len() > 1 && !pathname.ends_with('/') {
        out.push(pathname);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_read_from_the_cookie_string() {
        assert_eq!(
            cookie_names("_ga=GA1.2; _gid=x;theme=dark=1 ; é=ü;;=v; flag"),
            ["_ga", "_gid", "theme", "é", "flag"]
        );
        assert!(cookie_names("").is_empty());
    }

    #[test]
    fn cookie_pairs_have_names_and_values() {
        let all = "koekje=1.a; _ga=GA1; koekje = 1.b ;koekjes=x; koekje; flag;=v";
        assert_eq!(
            cookie_pairs(all),
            [("koekje", "1.a"), ("_ga", "GA1"), ("koekje", "1.b"), ("koekjes", "x"), ("koekje", ""), ("flag", "")]
        );
        // A value may hold `=`.
        assert_eq!(cookie_pairs("k=a=b"), [("k", "a=b")]);
        assert!(cookie_pairs("").is_empty());
    }

    #[test]
    fn exact_and_wildcards() {
        assert!(matches("_ga", "_ga"));
        assert!(!matches("_ga", "_gat"));
        assert!(matches("_ga_*", "_ga_ZW2026DEMO"));
        assert!(!matches("_ga_*", "_ga"));
        assert!(matches("_gat*", "_gat"));
        assert!(matches("_gat*", "_gat_UA-1"));
        assert!(matches("*", ""));
        assert!(matches("*id*", "_gid"));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
        assert!(matches("a**", "a"));
        assert!(!matches("", "a"));
    }

    #[test]
    fn long_hostile_names_are_fine() {
        let name = "a".repeat(10_000);
        assert!(!matches("*a*a*a*b", &name));
        assert!(matches("*a", &name));
    }

    #[test]
    fn domains_up_to_the_registrable_one() {
        assert_eq!(cookie_domains("www.zonnepanelen.test"), ["www.zonnepanelen.test", "zonnepanelen.test"]);
        assert_eq!(cookie_domains("a.b.example.be"), ["a.b.example.be", "b.example.be", "example.be"]);
        assert_eq!(cookie_domains("localhost"), ["localhost"]);
        assert_eq!(cookie_domains("127.0.0.1"), ["127.0.0.1"]);
        assert_eq!(cookie_domains("[::1]"), ["[::1]"]);
    }

    #[test]
    fn paths_of_the_page_and_its_ancestors() {
        assert_eq!(cookie_paths("/"), ["/"]);
        assert_eq!(cookie_paths("/a/b/c.html"), ["/", "/a", "/a/", "/a/b", "/a/b/", "/a/b/c.html"]);
        assert_eq!(cookie_paths("/shop/"), ["/", "/shop", "/shop/"]);
        // No attribute of its own through the path.
        assert_eq!(cookie_paths("/p;max-age=86400;x/"), ["/"]);
        assert_eq!(cookie_paths("/a/b,c/d"), ["/", "/a", "/a/"]);
        assert_eq!(cookie_paths("/a/b\nSet"), ["/", "/a", "/a/"]);
        for path in cookie_paths("/x/y;domain=evil/z,w\u{7f}") {
            assert!(!path.bytes().any(|b| b == b';' || b == b',' || b < 0x20 || b == 0x7f), "{path}");
        }
    }

    #[test]
    fn any_of_several() {
        let patterns = ["_ga", "_gid"];
        assert!(matches_any(patterns.iter().copied(), "_gid"));
        assert!(!matches_any(patterns.iter().copied(), "PHPSESSID"));
    }
}
