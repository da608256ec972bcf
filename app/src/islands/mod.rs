//! The interactive parts of the pages: rendered on the server inside their pages, then hydrated
//! in the browser. These (and what they call) are the only code compiled to wasm, in two bundles
//! chosen by feature: `reader` and `studio`. Each island gets what it shows as props, as the
//! page's context does not reach it in the browser.

#[cfg(any(feature = "ssr", feature = "reader"))]
pub mod reader;
#[cfg(any(feature = "ssr", feature = "studio"))]
pub mod studio;
