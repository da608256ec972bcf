//! The indexer: reads and validates a content folder ([`content`]), renders Markdown
//! ([`render`]) and owns everything about the tantivy index ([`index`]): schema, analyzers,
//! query building, search and index generations. The `indexer` binary builds and checks; the
//! server links this library to search.

pub mod content;
pub mod index;
pub mod render;

pub use index::{Engine, GenerationError};
