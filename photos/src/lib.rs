//! Contributors' photos: checks an uploaded file and re-encodes it as plain JPEGs in a few widths.
//!
//! What the crate guarantees: [`process`] never panics, and either refuses the upload with a
//! [`PhotoError`] a contributor can act on, or returns JPEGs that were decoded to pixels and encoded
//! again by the `image` crate, so no byte of the upload reaches a reader: no EXIF, GPS or other
//! metadata, nothing appended after the image, and the photo turned upright by its EXIF orientation.
//! A file is judged by its bytes, never by its name; it is refused before any pixel is decoded when
//! it is not a JPEG, PNG or WebP, is cut short, carries something else (a web page, a script, a PDF,
//! a ZIP archive), is an animation of more than [`MAX_FRAMES`] frames, or claims more than
//! [`MAX_PIXELS`] pixels or [`MAX_SIDE`] pixels a side, so a decompression bomb costs a few
//! microseconds and no memory.

mod structure;

use std::io::Cursor;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage, Rgba, RgbaImage};

/// The largest upload accepted, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The most photos one case may carry (the model checks this too; it is repeated here for callers
/// that only see photos).
pub const MAX_PHOTOS: usize = 8;
/// The widths written, smallest first; only those narrower than the original are written.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The most pixels (width × height, as the file's header claims them) a photo may have.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side, in pixels, a photo may have.
pub const MAX_SIDE: u32 = 20_000;
/// The shortest side, in pixels, a photo must have to be worth showing.
pub const MIN_SIDE: u32 = 200;
/// The most frames an animated PNG or WebP may have; of a shorter animation only the first frame is
/// kept.
pub const MAX_FRAMES: u32 = 100;

/// The JPEG quality of every size written: small files with no visible blocks at these widths.
const JPEG_QUALITY: u8 = 82;
/// The most memory the decoder may allocate, a second guard behind [`MAX_PIXELS`].
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// An image format accepted for upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format's name as a contributor knows it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
        }
    }

    /// The format a file name's extension claims (`.jpg`, `.jpeg`, `.png` or `.webp`, in any case),
    /// or `None` when the name has no extension or another one.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// The extension to suggest when a file is misnamed.
    fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The format the bytes' signature (magic number) shows, if it is one accepted.
    fn detect(bytes: &[u8]) -> Option<Format> {
        match image::guess_format(bytes).ok()? {
            ImageFormat::Jpeg => Some(Format::Jpeg),
            ImageFormat::Png => Some(Format::Png),
            ImageFormat::WebP => Some(Format::Webp),
            _ => None,
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Webp => ImageFormat::WebP,
        }
    }
}

/// An accepted photo: its size upright, and the JPEGs written from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// The original's width after its EXIF orientation is applied.
    pub width: u32,
    /// The original's height after its EXIF orientation is applied.
    pub height: u32,
    /// One JPEG per width of [`WIDTHS`] narrower than the original, smallest first, or the original
    /// size alone when it is narrower than all of them.
    pub sizes: Vec<Sized>,
}

/// One re-encoded JPEG of a photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sized {
    pub width: u32,
    pub height: u32,
    /// The JPEG file, with no metadata.
    pub jpeg: Vec<u8>,
}

/// Why an upload was refused.
///
/// Each message completes a sentence that starts with the file's name (`format!("{name} {error}")`)
/// and ends with what the contributor can do about it.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum PhotoError {
    /// More than [`MAX_BYTES`].
    #[error("is {} MB, more than the {} MB allowed: make it smaller", .bytes.div_ceil(1 << 20), MAX_BYTES >> 20)]
    TooLarge { bytes: usize },
    #[error("is empty: choose the photo again")]
    Empty,
    #[error("is not a JPEG, PNG or WebP image: export it as JPEG and upload that")]
    UnknownFormat,
    /// The name's extension claims another format than the bytes show.
    #[error("is a {} image but its name `{name}` says otherwise: rename it to end in .{}", .actual.name(), .actual.extension())]
    WrongExtension { name: String, actual: Format },
    /// The header claims more than [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in all: a
    /// decompression bomb, or a photo far larger than any page shows.
    #[error(
        "is {width} × {height} pixels, more than the {} megapixels and {MAX_SIDE} pixels a side allowed: scale it down",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("is only {width} × {height} pixels, less than {MIN_SIDE} on a side: upload a larger photo")]
    TooSmall { width: u32, height: u32 },
    /// The file ends before its format's end marker, or a decoder ran out of bytes.
    #[error("is cut short, as if the upload or copy stopped early: upload the whole file again")]
    Truncated,
    /// A decoder refused the file; the text is its reason.
    #[error("cannot be read as an image ({0}): open it in a photo editor and save it again")]
    Damaged(String),
    /// The file is something else as well (a web page, a script, a PDF, a ZIP archive) or has data
    /// after the image, where such things hide; the text says which.
    #[error("also contains {0}, which a photo must not: export the photo again from a photo editor")]
    Polyglot(&'static str),
    /// An animated PNG or WebP of more than [`MAX_FRAMES`] frames.
    #[error("is an animation of {frames} frames, more than the {MAX_FRAMES} allowed: upload a still photo")]
    TooManyFrames { frames: u32 },
}

impl From<ImageError> for PhotoError {
    /// Every decoder failure is the file's fault: a short read is a cut file, anything else damage.
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => PhotoError::Truncated,
            other => PhotoError::Damaged(other.to_string()),
        }
    }
}

/// Checks an uploaded photo and writes it as JPEGs of the [`WIDTHS`] narrower than it.
///
/// `file_name` is the name the contributor's file had; it is only compared with the format the
/// bytes show, so a misnamed file is caught before it confuses anyone.
pub fn process(bytes: &[u8], file_name: &str) -> Result<Processed, PhotoError> {
    // # Checks on the bytes alone, before any decoder sees them
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge { bytes: bytes.len() });
    }
    let format = Format::detect(bytes).ok_or(PhotoError::UnknownFormat)?;
    if let Some(named) = Format::from_file_name(file_name)
        && named != format
    {
        return Err(PhotoError::WrongExtension { name: file_name.to_owned(), actual: format });
    }
    structure::check(bytes, format)?;

    // # The header's claimed size, before any pixel is decoded
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    // Only the default allocation cap here: a width limit would refuse a bomb without saying its size.
    reader.limits(Limits::default());
    let mut decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(PhotoError::TooSmall { width, height });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    decoder.set_limits(limits.clone())?;
    limits.reserve(decoder.total_bytes())?;

    // # Decoding, upright, on white
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    let upright = flatten(image);
    let (width, height) = upright.dimensions();

    // # Resizing and encoding
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < width).collect();
    if widths.is_empty() {
        widths.push(width);
    }
    let scaled_height = |w: u32| -> u32 {
        let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
        u32::try_from(h).unwrap_or(height).max(1)
    };
    // The original is scaled once, cheaply, to the largest width; the smaller ones are scaled from
    // that with a sharper filter, which costs little at those sizes.
    let largest_width = widths[widths.len() - 1];
    let largest = if largest_width == width {
        upright
    } else {
        imageops::resize(&upright, largest_width, scaled_height(largest_width), FilterType::Triangle)
    };
    let sizes = widths
        .iter()
        .map(|&w| {
            let pixels = if w == largest_width {
                largest.clone()
            } else {
                imageops::resize(&largest, w, scaled_height(w), FilterType::CatmullRom)
            };
            Ok(Sized { width: pixels.width(), height: pixels.height(), jpeg: encode(&pixels)? })
        })
        .collect::<Result<Vec<_>, PhotoError>>()?;
    Ok(Processed { width, height, sizes })
}

/// The image as 8-bit RGB, any transparency laid over white (as the page behind it is).
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let top = image.into_rgba8();
    let mut white = RgbaImage::from_pixel(top.width(), top.height(), Rgba([255, 255, 255, 255]));
    imageops::overlay(&mut white, &top, 0, 0);
    DynamicImage::ImageRgba8(white).into_rgb8()
}

/// A JPEG of the pixels alone: the encoder writes no EXIF, ICC profile or other metadata unless
/// given some, and is given none.
fn encode(pixels: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode_image(pixels)?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_to_formats_by_extension() {
        assert_eq!(Format::from_file_name("IMG_0001.JPG"), Some(Format::Jpeg));
        assert_eq!(Format::from_file_name("a.b.jpeg"), Some(Format::Jpeg));
        assert_eq!(Format::from_file_name("scan.Png"), Some(Format::Png));
        assert_eq!(Format::from_file_name("x.webp"), Some(Format::Webp));
        assert_eq!(Format::from_file_name("photo"), None);
        assert_eq!(Format::from_file_name("photo.heic"), None);
        assert_eq!(Format::from_file_name(".png"), None);
    }

    #[test]
    fn messages_name_the_problem_and_the_fix() {
        assert_eq!(
            PhotoError::TooLarge { bytes: 12 * 1024 * 1024 }.to_string(),
            "is 12 MB, more than the 8 MB allowed: make it smaller"
        );
        assert_eq!(
            PhotoError::WrongExtension { name: "cat.png".into(), actual: Format::Jpeg }.to_string(),
            "is a JPEG image but its name `cat.png` says otherwise: rename it to end in .jpg"
        );
        assert_eq!(
            PhotoError::Polyglot("a ZIP archive").to_string(),
            "also contains a ZIP archive, which a photo must not: export the photo again from a photo editor"
        );
    }
}
