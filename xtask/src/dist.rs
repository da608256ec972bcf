//! `dist/`: the built app as the server serves it.
//!
//! ```text
//! dist/index.html                   the shell; the server fills in `<!--head-->` per page
//! dist/assets/app-<hash>.js          wasm-bindgen's glue, starting the app when loaded
//! dist/assets/app-<hash>_bg.wasm
//! dist/assets/style-<hash>.css
//! dist/assets/*.br, *.gz             precompressed copies
//! ```
//!
//! Names carry a hash of the content, so the server can cache assets as immutable.

use crate::{run_command, target_dir, tools};
use anyhow::{Context, Result};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Sizes of the first load, for the build's report.
pub struct Sizes {
    pub files: Vec<(String, usize, usize, usize)>,
}

impl Sizes {
    pub fn print(&self) {
        println!("{:<32} {:>10} {:>10} {:>10}", "first load", "raw", "gzip", "brotli");
        let mut total = (0, 0, 0);
        for (name, raw, gzip, brotli) in &self.files {
            println!("{name:<32} {raw:>10} {gzip:>10} {brotli:>10}");
            total = (total.0 + raw, total.1 + gzip, total.2 + brotli);
        }
        println!("{:<32} {:>10} {:>10} {:>10}  ({} requests)", "total", total.0, total.1, total.2, self.files.len());
    }
}

pub fn build(root: &Path) -> Result<Sizes> {
    tools::ensure_wasm_target()?;
    run_command(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args([
        "build",
        "-p",
        "app",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let target = target_dir(root);
    let wasm = target.join("wasm32-unknown-unknown/wasm-release/app.wasm");
    let bound = target.join("bindgen");
    let _ = fs::remove_dir_all(&bound);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .omit_default_module_path(false)
        .out_name("app")
        .generate(&bound)
        .context("wasm-bindgen failed")?;

    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    fs::create_dir_all(&assets)?;

    let wasm_bytes = fs::read(bound.join("app_bg.wasm"))?;
    let wasm_name = format!("app-{}_bg.wasm", hash(&wasm_bytes));
    // The glue loads the wasm by name; point it at the hashed name, and start the app on load.
    let mut script = fs::read_to_string(bound.join("app.js"))?;
    anyhow::ensure!(
        script.contains("'app_bg.wasm'"),
        "the wasm-bindgen glue no longer names app_bg.wasm; update xtask/src/dist.rs"
    );
    script = script.replace("'app_bg.wasm'", &format!("'{wasm_name}'"));
    script.push_str("\n__wbg_init();\n");
    let script_name = format!("app-{}.js", hash(script.as_bytes()));
    let style = fs::read(root.join("app/style.css"))?;
    let style_name = format!("style-{}.css", hash(&style));
    if bound.join("snippets").exists() {
        copy_dir(&bound.join("snippets"), &assets.join("snippets"))?;
    }

    let html = fs::read_to_string(root.join("app/index.html"))?
        .replace("{{style}}", &style_name)
        .replace("{{script}}", &script_name)
        .replace("{{wasm}}", &wasm_name);

    let mut sizes = Sizes { files: Vec::new() };
    sizes.files.push(measure("index.html", html.as_bytes()));
    fs::write(dist.join("index.html"), &html)?;
    for (name, bytes) in
        [(&style_name, style.as_slice()), (&script_name, script.as_bytes()), (&wasm_name, wasm_bytes.as_slice())]
    {
        write_compressed(&assets.join(name), bytes)?;
        sizes.files.push(measure(name, bytes));
    }
    Ok(sizes)
}

/// A short content hash for file names.
fn hash(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())[..12].to_owned()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).expect("writing to memory");
    }
    out
}

fn measure(name: &str, bytes: &[u8]) -> (String, usize, usize, usize) {
    (name.to_owned(), bytes.len(), gzip(bytes).len(), brotli(bytes).len())
}

/// Writes `path` and its `.gz` and `.br` copies.
fn write_compressed(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes)?;
    let name = path.file_name().expect("a file").to_string_lossy();
    fs::write(path.with_file_name(format!("{name}.gz")), gzip(bytes))?;
    fs::write(path.with_file_name(format!("{name}.br")), brotli(bytes))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            write_compressed(&target, &fs::read(entry.path())?)?;
        }
    }
    Ok(())
}
