//! The page's cookies through `document.cookie` (read and written through
//! `Document.prototype`, see `page_dom`): which names are set, and deleting
//! one for every domain and path it could have been set on.
//!
//! Script can delete only what it can see and write: a cookie with a
//! `__Secure-` or `__Host-` prefix needs `Secure` on its deletion, a
//! partitioned one `Partitioned`, so those are tried for any cookie that is
//! still there after the plain deletion. `HttpOnly` cookies are out of
//! script's reach altogether (the server must clear them); a listed cookie
//! that survives every try is named in the console.

#[allow(unused_imports)]
use crate::prelude::*;

use super::page_dom;
use crate::core::consent::Refused;
use crate::core::cookie_match::{cookie_domains, cookie_names, cookie_paths};
use crate::core::problem::{quoted, Problem};

/// The names of the cookies this page can see.
pub fn names() -> Vec<String> {
    let all = page_dom::cookie();
    let mut out = Vec::new();
    for name in cookie_names(&all) {
        out.push(name.to_owned());
    }
    out
}

/// The names of the cookies this page can see that `refused` deletes.
fn refused_names(refused: &Refused) -> Vec<String> {
    let mut out = names();
    out.retain(|name| refused.deletes_cookie(name));
    out
}

/// Deletes every cookie that `refused` deletes (a refused pattern matches
/// its name and no kept one does), on the host, each parent domain and
/// every path up to this page; then, for what is left, again as a secure
/// and as a partitioned cookie; names what still survives.
pub fn delete_refused(refused: &Refused) {
    if refused.cookies.is_empty() {
        return;
    }
    let names = refused_names(refused);
    if names.is_empty() {
        return;
    }
    let location = super::dom::window().location();
    let host = location.hostname().unwrap_or_default();
    let pathname = location.pathname().unwrap_or_default();
    let write_all = |name: &str, extra: &str| {
        for path in cookie_paths(&pathname) {
            // Host-only first, then each domain.
            page_dom::set_cookie(&expired(name, path, None, extra));
            for domain in cookie_domains(&host) {
                page_dom::set_cookie(&expired(name, path, Some(domain), extra));
            }
        }
    };
    for name in &names {
        write_all(name, "");
    }
    let left = refused_names(refused);
    for name in &left {
        write_all(name, "; secure");
        write_all(name, "; secure; partitioned");
    }
    if left.is_empty() {
        return;
    }
    for name in refused_names(refused) {
        super::console::warn(&Problem::new(
            &quoted("cookie", &name),
            "is refused but could not be deleted by script (set for a path or domain this page cannot write, or by the server); the site must clear it on its server",
        ));
    }
}

fn expired(name: &str, path: &str, domain: Option<&str>, extra: &str) -> String {
    let mut c = String::with_capacity(96);
    c.push_str(name);
    c.push_str("=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; path=");
    c.push_str(path);
    if let Some(domain) = domain {
        c.push_str("; domain=");
        c.push_str(domain);
    }
    c.push_str(extra);
    c
}
