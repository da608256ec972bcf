//! What a few pages weigh and what taking in a photo costs: the overview page's size as sent
//! (raw, gzip, brotli), and the time [`photos::process`] takes on a photo of about 8 MB, the
//! largest a contributor may upload.

use crate::client;
use anyhow::{Context, Result};
use std::time::{Duration, Instant};

/// One row of the page-size table: the page's bytes raw and as sent compressed.
pub fn overview_row(base: &str, label: &str) -> Result<String> {
    let agent = client::agent();
    let url = format!("{base}/overview");
    let size = |encoding: &str| -> Result<usize> {
        let (status, body) = client::get_with(&agent, &url, &[("accept-encoding", encoding)])?;
        anyhow::ensure!(status == 200, "{url} answered {status}");
        Ok(body.len())
    };
    Ok(format!("| {label} | {} | {} | {} |", size("identity")?, size("gzip")?, size("br")?))
}

/// A photo like a phone's: 4000 × 3000 pixels, textured, as a JPEG just under `limit` bytes.
fn phone_like_jpeg(limit: usize) -> Result<Vec<u8>> {
    let (width, height) = (4000u32, 3000u32);
    // Light, texture and a little deterministic noise, so the encoder has detail to keep.
    let mut state = 0x2545_f491_u32;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 48) as i32 - 24;
        let base = |v: u32| ((v % 256) as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([base(x / 8 + y / 13), base(y / 6), base((x ^ y) / 9)])
    });
    for quality in [97u8, 95, 92, 90, 85, 80, 75] {
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality).encode_image(&image)?;
        if jpeg.len() <= limit {
            return Ok(jpeg);
        }
    }
    anyhow::bail!("could not make a photo under {limit} bytes")
}

/// Prints the photo table: the upload's size and pixels, the median and slowest of `runs`
/// runs, and the files written.
pub fn photo_report(runs: usize) -> Result<()> {
    let jpeg = phone_like_jpeg(photos::MAX_BYTES)?;
    let mut times = Vec::new();
    let mut written = None;
    for _ in 0..runs {
        let started = Instant::now();
        let processed = photos::process(&jpeg, "photo.jpg").map_err(|e| anyhow::anyhow!("photo.jpg {e}"))?;
        times.push(started.elapsed());
        written = Some(processed);
    }
    times.sort();
    let written = written.context("no run")?;
    let median = times[times.len() / 2];
    let slowest = *times.last().unwrap_or(&Duration::ZERO);
    let files: Vec<String> =
        written.sizes.iter().map(|s| format!("{}×{} {} KB", s.width, s.height, s.jpeg.len() / 1024)).collect();
    println!("| upload | pixels | runs | median | slowest | files written |\n|---|---|---:|---:|---:|---|");
    println!(
        "| JPEG {:.1} MB | {}×{} | {runs} | {:.0} ms | {:.0} ms | {} |",
        jpeg.len() as f64 / 1e6,
        written.width,
        written.height,
        median.as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0,
        files.join(", ")
    );
    Ok(())
}
