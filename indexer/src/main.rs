//! `indexer check --content DIR` validates a content folder; `indexer build --content DIR --index
//! DIR` builds a new index generation from it and switches to it.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use collection::LoadError;
use indexer::GenerationError;
use indexer::index::generation::{self, WriteLock};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(version, about = "Validates the case-study collection and builds its search index")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a content folder; exit 1 and name every problem if it is not valid.
    Check {
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Validate a content folder and build a new index generation from it.
    Build {
        #[arg(long, default_value = "content")]
        content: PathBuf,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Never show a progress bar.
        #[arg(long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { content } => check(&content),
        Command::Build { content, index, quiet } => build(&content, &index, quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn progress_bar(quiet: bool, what: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{what:>9} [{{bar:30}}] {{pos}}/{{len}} cases ({{per_sec}}, {{eta}} left)"
        ))
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    bar
}

/// Loads the folder, printing every problem if it is invalid.
fn load(content: &Path, quiet: bool) -> Result<collection::Collection> {
    let bar = progress_bar(quiet, "reading");
    let result = collection::load(content, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    match result {
        Ok(collection) => Ok(collection),
        Err(LoadError::Invalid(problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            let files: std::collections::BTreeSet<&str> = problems.iter().map(|p| p.file.as_str()).collect();
            bail!(
                "{} problem{} in {} file{} under {}; nothing was indexed",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                content.display()
            )
        }
        Err(error) => Err(error).context("reading the content failed"),
    }
}

fn check(content: &Path) -> Result<()> {
    let started = Instant::now();
    let collection = load(content, true)?;
    let texts: usize = collection.cases.iter().map(|case| case.texts.len()).sum();
    say(&format!(
        "{}: {} cases, {} language files and the vocabulary are valid ({:.2} s)\n",
        content.display(),
        collection.cases.len(),
        texts,
        started.elapsed().as_secs_f64()
    ))
}

/// Prints the report. A reader that has gone away (`indexer build | head -c 0`) is no failure:
/// the work it reports on is done.
fn say(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("writing the report failed"),
    }
}

/// Takes the build lock before the content is read, so that a case approved while it is read
/// waits for this build's switch. The server holds the lock for a moment while it adds an approved
/// case: that is waited for; another build is not.
fn lock(index: &Path) -> Result<WriteLock> {
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match WriteLock::try_acquire(index) {
            Err(GenerationError::Busy(_)) if Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            result => return result.with_context(|| format!("cannot build the index in {}", index.display())),
        }
    }
}

fn build(content: &Path, index: &Path, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let quiet = quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let lock = lock(index)?;
    let collection = load(content, quiet)?;
    let bar = progress_bar(quiet, "indexing");
    let report = generation::build_locked(&collection, index, &lock, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .with_context(|| format!("building the index in {} failed", index.display()))?;
    bar.finish_and_clear();

    let languages: Vec<String> =
        report.languages.iter().filter(|(_, n)| *n > 0).map(|(lang, n)| format!("{lang} {n}")).collect();
    let seconds = started.elapsed().as_secs_f64();
    say(&format!(
        "indexed {} cases into {}\n  languages: {}\n  errors:    0\n  time:      {seconds:.2} s ({:.0} cases/s)\n  size:      {:.1} MiB\n",
        report.generation.cases,
        index.join(&report.generation.id).display(),
        languages.join(", "),
        report.generation.cases as f64 / seconds.max(1e-9),
        report.index_bytes as f64 / (1024.0 * 1024.0)
    ))
}
