//! The interface: what Koekje shows the visitor (the banner, the
//! preferences dialog, the placeholders of held embeds and the confirmation
//! of an embed's consent), built in open shadow roots with Koekje's own
//! stylesheet, out of the page's reach: page CSS cannot restyle or hide it,
//! page ids cannot address it (`popovertarget`, `<label for>`, anchors), and
//! what it shows on top stays on top ([`on_top`]). A click on one of its
//! controls counts only when the control was seen ([`proof`]).

pub mod banner;
pub mod confirm;
pub mod dialog;
pub mod host;
pub mod on_top;
pub mod placeholder;
pub mod proof;
pub mod room;
pub mod seen;
