//! The HTTP API against its own OpenAPI document: schemathesis (from PyPI) generates requests for
//! every operation of `/api/openapi.json` (the maintainers' ones with the token) and fails on any
//! 5xx. It runs the debug binaries over a fresh index of a copy of the fixture collection (the
//! copy, because submissions write into it).

use crate::{run_command, target_dir, tools};
use anyhow::{Context, Result, bail};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The schemathesis release the API is tested with.
pub const VERSION: &str = "4.32.5";
/// Test cases per operation and phase; keeps the run to a minute or two.
const EXAMPLES: &str = "50";
/// The maintainers' token of the server under test.
const TOKEN: &str = "schemathesis-maintainer-token";

/// Runs schemathesis with the `not_a_server_error` check; skipped (with a note) when it cannot be
/// installed.
pub fn run(root: &Path) -> Result<()> {
    let Some(st) = tools::schemathesis(root, VERSION)? else {
        println!(
            "schemathesis: SKIPPED, it could not be installed (python3 -m venv needs python3-venv; pip needs PyPI)"
        );
        return Ok(());
    };
    let work = target_dir(root).join("schemathesis");
    let _ = fs::remove_dir_all(&work);
    let content = work.join("content");
    copy_dir(&root.join("tests/fixtures/content"), &content)?;
    let bin = target_dir(root).join("debug");
    let index = work.join("index");
    run_command(
        Command::new(bin.join("indexer"))
            .args(["build", "--quiet", "--content"])
            .arg(&content)
            .arg("--index")
            .arg(&index)
            .stdout(Stdio::null()),
    )?;
    let log = work.join("server.log");
    let server = Server::start(&bin.join("server"), &content, &index, &log)?;

    let started = Instant::now();
    let output = Command::new(&st)
        .current_dir(&work)
        .arg("run")
        .arg(format!("http://{}/api/openapi.json", server.addr))
        .args(["--checks", "not_a_server_error", "--max-examples", EXAMPLES, "--no-color"])
        .args(["--header", &format!("Authorization: Bearer {TOKEN}")])
        .args(["--generation-database", "none"])
        .output()
        .with_context(|| format!("cannot start {}", st.display()))?;
    drop(server);
    let report = String::from_utf8_lossy(&output.stdout);
    fs::write(work.join("schemathesis.txt"), report.as_bytes())?;
    let summary = summary(&report);
    if !output.status.success() {
        println!("{report}{}", String::from_utf8_lossy(&output.stderr));
        bail!(
            "schemathesis {VERSION} found failures ({summary}); the report is in {} and the server's log in {}",
            work.join("schemathesis.txt").display(),
            log.display()
        );
    }
    println!("schemathesis {VERSION}: no server errors ({summary}) in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The server binary on a free port of 127.0.0.1, with the token and no submission limit; its
/// log goes to a file. Dropping it kills the process.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// The server over `index` (the pages without the built app: schemathesis checks the API).
    fn start(server: &Path, content: &Path, index: &Path, log: &Path) -> Result<Server> {
        let mut child = Command::new(server)
            .arg("--content")
            .arg(content)
            .arg("--index")
            .arg(index)
            .args(["--listen", "127.0.0.1:0", "--submissions-per-hour", "0"])
            .env("ADMIN_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", server.display()))?;
        // The server logs to its standard output: drain it into the log (a full pipe would stall
        // the server) and pick the address out of the line that announces it.
        let (found, address) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let mut file = fs::File::create(log)?;
        let mut errors = file.try_clone()?;
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("serving the collection at http://").nth(1) {
                    let _ = found.send(rest.trim_end_matches('/').to_owned());
                }
                let _ = writeln!(file, "{line}");
            }
        });
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stderr, &mut errors);
        });
        match address.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => Ok(Server { child, addr }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("the server did not start; see {}", log.display())
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The report's "API Operations" and "Test cases" sections on one line: each heading's indented
/// lines follow it (`Test cases:` then `  2301 generated, 2301 passed`).
fn summary(report: &str) -> String {
    let mut sections = Vec::new();
    let mut lines = report.lines();
    while let Some(line) = lines.next() {
        let heading = line.trim_end();
        if heading != "API Operations:" && heading != "Test cases:" {
            continue;
        }
        let body: Vec<&str> = lines.by_ref().map(str::trim).take_while(|line| !line.is_empty()).collect();
        sections.push(format!("{} {}", heading.trim_end_matches(':').to_lowercase(), body.join(", ")));
    }
    sections.join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_reads_the_sections_under_their_headings() {
        let report = "=== SUMMARY ===\n\nAPI Operations:\n  Selected: 14/14\n  Tested: 14\n\nTest Phases:\n  Examples\n\nTest cases:\n  2301 generated, 2301 passed\n\nSeed: 1\n";
        assert_eq!(
            super::summary(report),
            "api operations Selected: 14/14, Tested: 14; test cases 2301 generated, 2301 passed"
        );
    }
}
