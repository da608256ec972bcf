//! The maintainers' token file: made once, at random, readable by its owner alone, kept on every
//! later run. `cargo xtask run` makes it on first use and starts the server with
//! `--admin-token-file`; an operator may make it the same way for a real deployment.

use rand::RngExt;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Makes the token file at `path` with a new random token (32 bytes as hex) if it is not there.
/// Returns whether it made one. An existing file is left as it is.
pub fn ensure(path: &Path) -> std::io::Result<bool> {
    let bytes: [u8; 32] = rand::rng().random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(error) => return Err(error),
    };
    writeln!(file, "{token}")?;
    file.sync_all()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_token_is_made_once_readable_by_its_owner_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".maintainer-token");
        assert!(ensure(&path).unwrap());
        let token = std::fs::read_to_string(&path).unwrap();
        assert_eq!(token.trim().len(), 64, "{token:?}");
        assert!(token.trim().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(!ensure(&path).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), token, "kept on the next run");
    }
}
