//! The search library: everything about the tantivy index ([`index`]): schema, analyzers, query
//! building, search and index generations, and rendering Markdown for it ([`render`]). The
//! content folder it indexes is read by the `collection` crate. The `indexer` binary checks a
//! folder and builds generations; the server links this library to search.

pub mod index;
pub mod render;

pub use index::{Engine, GenerationError};
