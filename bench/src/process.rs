//! The real binaries as child processes: the server on a free port of 127.0.0.1 and the indexer,
//! with the signals an operator (or a crash) sends them.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The release or debug binaries of the server and the indexer.
#[derive(Clone, Debug)]
pub struct Binaries {
    pub server: PathBuf,
    pub indexer: PathBuf,
}

impl Binaries {
    /// The binaries in a cargo profile folder such as `target/release`.
    pub fn in_dir(dir: &Path) -> Result<Binaries> {
        let binaries = Binaries { server: dir.join("server"), indexer: dir.join("indexer") };
        for path in [&binaries.server, &binaries.indexer] {
            anyhow::ensure!(
                path.is_file(),
                "{} is missing: build it with `cargo build -p server -p indexer`",
                path.display()
            );
        }
        Ok(binaries)
    }

    /// `indexer build --quiet` of `content` into `index`, to the end.
    pub fn build_index(&self, content: &Path, index: &Path) -> Result<Duration> {
        let started = Instant::now();
        let output = self.indexer_command(content, index).output().context("running the indexer")?;
        anyhow::ensure!(output.status.success(), "the indexer failed: {}", String::from_utf8_lossy(&output.stderr));
        Ok(started.elapsed())
    }

    /// The command of a quiet full build, to spawn (and perhaps kill).
    pub fn indexer_command(&self, content: &Path, index: &Path) -> Command {
        let mut command = Command::new(&self.indexer);
        command.args(["build", "--quiet", "--content"]).arg(content).arg("--index").arg(index);
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        command
    }
}

/// The maintainers' token the drills start the server with.
pub const ADMIN_TOKEN: &str = "drill-maintainer-token";

/// A running server process. Dropping it kills the process.
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts the server over `index` and `content`, with the built app in `assets` if given (else
    /// plain pages), no submission limit and [`ADMIN_TOKEN`]; its log lines are appended to `log`.
    pub fn start(
        server: &Path,
        content: &Path,
        index: &Path,
        assets: Option<&Path>,
        log: &Path,
    ) -> Result<ServerProcess> {
        Self::start_with(server, content, index, assets, log, &[])
    }

    /// [`ServerProcess::start`] with more of the server's flags.
    pub fn start_with(
        server: &Path,
        content: &Path,
        index: &Path,
        assets: Option<&Path>,
        log: &Path,
        flags: &[String],
    ) -> Result<ServerProcess> {
        let mut command = Command::new(server);
        command.args(flags);
        command.arg("--content").arg(content).arg("--index").arg(index);
        if let Some(assets) = assets {
            command.arg("--assets").arg(assets);
        }
        let mut child = command
            .args(["--listen", "127.0.0.1:0", "--submissions-per-hour", "0"])
            .env("ADMIN_TOKEN", ADMIN_TOKEN)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", server.display()))?;
        // The server logs to its standard output: keep draining it into the log file (a full pipe
        // would stall the server) and pick the address out of the line that announces it.
        let (found, address) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
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
            let _ = std::io::copy(&mut BufReader::new(stderr), &mut errors);
        });
        let addr = match address.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr.parse().with_context(|| format!("the server announced {addr:?}"))?,
            Err(_) => {
                let _ = child.kill();
                let log = std::fs::read_to_string(log).unwrap_or_default();
                bail!("the server did not start; its log ends with:\n{}", tail(&log, 20));
            }
        };
        Ok(ServerProcess { child, addr })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident and peak resident memory of the process, from `/proc`.
    pub fn memory(&self) -> Result<Memory> {
        Memory::of(self.pid())
    }

    /// SIGKILL: the process dies at once, whatever it was doing.
    pub fn kill(mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// SIGTERM, then waits for the process to finish what it was answering and exit.
    pub fn stop(mut self) -> Result<ExitStatus> {
        signal(self.pid(), libc::SIGTERM)?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!("the server did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `signal` to process `pid`.
pub fn signal(pid: u32, signal: libc::c_int) -> Result<()> {
    let pid = libc::pid_t::try_from(pid)?;
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    if unsafe { libc::kill(pid, signal) } != 0 {
        bail!("cannot signal process {pid}: {}", std::io::Error::last_os_error());
    }
    Ok(())
}

/// A process's memory as the kernel counts it.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// Resident set now (VmRSS), in KiB.
    pub resident_kib: u64,
    /// The most it was ever resident (VmHWM), in KiB.
    pub peak_kib: u64,
    /// Of the resident set, the process's own memory (RssAnon: heap, stacks), in KiB.
    pub anonymous_kib: u64,
    /// Of the resident set, pages of mapped files (RssFile: the binary and the memory-mapped
    /// index, which the kernel can drop and read again), in KiB.
    pub file_kib: u64,
}

impl Memory {
    pub fn of(pid: u32) -> Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let field = |name: &str| -> Result<u64> {
            let line = status.lines().find(|line| line.starts_with(name)).with_context(|| format!("no {name}"))?;
            Ok(line[name.len()..].trim().trim_end_matches("kB").trim().parse()?)
        };
        Ok(Memory {
            resident_kib: field("VmRSS:")?,
            peak_kib: field("VmHWM:")?,
            anonymous_kib: field("RssAnon:")?,
            file_kib: field("RssFile:")?,
        })
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
