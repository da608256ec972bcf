//! Tools the commands need and how to get them on a fresh machine: the wasm32 target (rustup),
//! Chromium with its driver (Debian packages) and schemathesis (PyPI, in a virtual environment).

use crate::run_command;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Adds the wasm32 target if rustup does not have it yet.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output()?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        println!("installing the wasm32-unknown-unknown target");
        run_command(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

pub struct Browser {
    pub chromium: PathBuf,
    pub driver: PathBuf,
}

/// Finds Chromium and chromedriver, installing Debian's packages when they are missing and we
/// may (as root, with apt).
pub fn ensure_browser() -> Result<Browser> {
    let find = || {
        let chromium =
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().map(PathBuf::from).find(|p| p.exists());
        let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        chromium.zip(driver).map(|(chromium, driver)| Browser { chromium, driver })
    };
    if let Some(browser) = find() {
        return Ok(browser);
    }
    let is_root =
        Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    if is_root && Path::new("/usr/bin/apt-get").exists() {
        println!("installing chromium and chromium-driver (Debian packages) for the browser tests");
        run_command(Command::new("apt-get").args(["update", "-qq"]))?;
        run_command(
            Command::new("apt-get")
                .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    match find() {
        Some(browser) => Ok(browser),
        None => bail!(
            "the browser tests need Chromium and chromedriver: install the Debian packages `chromium` and `chromium-driver`"
        ),
    }
}

/// A package from the npm registry, installed once under the target folder; returns its folder.
pub fn npm_package(root: &Path, package: &str, version: &str) -> Result<PathBuf> {
    let prefix = crate::target_dir(root).join("npm");
    let folder = prefix.join("node_modules").join(package);
    let installed = std::fs::read_to_string(folder.join("package.json"))
        .is_ok_and(|json| json.contains(&format!("\"version\": \"{version}\"")));
    if !installed {
        println!("installing {package}@{version} from npm");
        std::fs::create_dir_all(&prefix)?;
        run_command(
            Command::new("npm")
                .args(["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
                .arg(&prefix)
                .arg(format!("{package}@{version}")),
        )?;
    }
    Ok(folder)
}

/// The load generator of the benchmark: oha, from the crate registry (about 7 minutes to build
/// on two cores, once).
pub fn ensure_oha() -> Result<()> {
    let found = Command::new("oha").arg("--version").output().is_ok_and(|out| out.status.success())
        || std::env::var_os("HOME").is_some_and(|home| Path::new(&home).join(".cargo/bin/oha").is_file());
    if !found {
        println!("installing oha 1.16.0 (the load generator) with cargo install");
        run_command(Command::new("cargo").args(["install", "oha", "--version", "1.16.0", "--locked"]))?;
    }
    Ok(())
}

/// schemathesis from PyPI, installed once into a virtual environment under the target folder;
/// returns its `st` command, or `None` when python3 cannot make a virtual environment here or
/// PyPI cannot be reached.
pub fn schemathesis(root: &Path, version: &str) -> Result<Option<PathBuf>> {
    let venv = crate::target_dir(root).join("venv-schemathesis");
    let st = venv.join("bin/st");
    let installed = Command::new(&st)
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim().ends_with(&format!(" {version}")));
    if installed {
        return Ok(Some(st));
    }
    if !venv.join("bin/pip").is_file() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !made {
            let _ = std::fs::remove_dir_all(&venv);
            return Ok(None);
        }
    }
    println!("installing schemathesis {version} from PyPI into {}", venv.display());
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", &format!("schemathesis=={version}")])
        .status()
        .is_ok_and(|status| status.success());
    // Without PyPI (an offline machine) the API check is skipped, not the whole test run.
    Ok(installed.then_some(st))
}
