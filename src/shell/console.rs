//! Messages for the site's developers in the browser console. Every line
//! starts with `koekje: ` and says where the problem is.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::core::problem::Problem;

/// Logs a problem as an error (a config mistake the admin must fix).
pub fn error(problem: &Problem) {
    web_sys::console::error_1(&problem.to_console_line().into());
}

/// Logs a problem as a warning (handled, but worth knowing).
pub fn warn(problem: &Problem) {
    web_sys::console::warn_1(&problem.to_console_line().into());
}
