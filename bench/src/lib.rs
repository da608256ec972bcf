//! Benchmarks that print figures, and fault drills, over the real binaries and the real index.
//!
//! `cargo xtask bench` builds the synthetic corpora and runs `bench report`, which measures the
//! index build, search latency in process and over HTTP, throughput under 64 clients, the server's
//! memory and SQLite FTS5 on the same queries, then runs the fault drills at full scale. The
//! drills also run at a small scale under `cargo test` (`tests/faults.rs`), where their reports
//! must show no error.

pub mod browser;
pub mod client;
pub mod faults;
pub mod files;
pub mod first_visit;
pub mod fts5;
pub mod latency;
pub mod load;
pub mod pages;
pub mod process;
pub mod queries;
pub mod relevance;
