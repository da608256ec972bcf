//! The index: schema, analysis, documents, query building, search and generations. Everything
//! that knows how a case is represented in tantivy lives here; the server only calls [`Engine`]
//! and [`generation`].

pub mod analysis;
pub mod bm25f;
mod collector;
pub mod document;
pub mod generation;
pub mod query;
pub mod ranking;
pub mod schema;
pub mod search;
pub mod snippet;
pub mod stored;

pub use generation::{BuildReport, GenerationError, GenerationInfo};
pub use search::Engine;
