//! The case-study model shared by every part of the project.
//!
//! - [`case`]: the coded facts of a case (`case.toml`) and its text per language (`<lang>.md`).
//! - [`vocabulary`]: themes, audiences and organisation types with labels in five languages.
//! - [`validate`]: the rules a case must meet, reported as [`Problem`]s naming file, field and fix;
//!   [`messages`]: what each rule says to someone filling in the form, in the five languages.
//! - [`files`]: reading those files from TOML text (native only; the wasm app reads JSON).
//! - [`api`]: the types of the HTTP API between the server and the app.
//!
//! This crate compiles for wasm32 and native and depends on no index, server or UI crate, so the
//! same validation runs in the browser form, in the server and in the indexer.

pub mod api;
pub mod case;
pub mod codes;
pub mod countries;
#[cfg(feature = "files")]
pub mod files;
pub mod lang;
pub mod messages;
pub mod strict;
pub mod submission;
pub mod validate;
pub mod vocabulary;

pub use case::{Case, CaseMeta, CaseText, FrontMatter, Translation};
pub use lang::Lang;
pub use validate::{Problem, limits};
pub use vocabulary::Vocabulary;
