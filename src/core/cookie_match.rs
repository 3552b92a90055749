//! Matching cookie names against the config's patterns, where `*` stands
//! for any run of characters (`_ga_*` matches `_ga_ZW2026DEMO`).

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
    p[pi..].iter().all(|&b| b == b'*')
}

/// Whether `name` matches any of `patterns`.
pub fn matches_any<'a>(mut patterns: impl Iterator<Item = &'a str>, name: &str) -> bool {
    patterns.any(|p| matches(p, name))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn any_of_several() {
        let patterns = ["_ga", "_gid"];
        assert!(matches_any(patterns.iter().copied(), "_gid"));
        assert!(!matches_any(patterns.iter().copied(), "PHPSESSID"));
    }
}
