//! Mutual challenge–response authentication by a shared key (HMAC-SHA256), as Python's
//! `multiprocessing.connection` does it: each side proves it knows the key by keying a digest of
//! a fresh random challenge from the other side. The key itself never crosses the wire.
//!
//! ```text
//! server → client   Challenge { nonce_s }
//! client → server   Answer { HMAC(key, "client" ‖ nonce_s), nonce_c }
//! server → client   Refused | Welcome { HMAC(key, "server" ‖ nonce_c) }
//! ```

use std::io::{Read, Write};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::wire::{read_frame, write_frame, WireError};

const NONCE_LEN: usize = 32;

#[derive(Serialize, Deserialize)]
struct Challenge {
    nonce: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Answer {
    digest: Vec<u8>,
    nonce: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
enum Verdict {
    Refused,
    Welcome { digest: Vec<u8> },
}

/// Why a handshake failed.
#[derive(Debug)]
pub(crate) enum HandshakeError {
    /// The server found the client's key wrong (on the server: the client's).
    KeyRefused,
    /// The server could not prove it knows the key.
    ServerUnproven,
    /// The stream failed or carried something else than a handshake.
    Wire(WireError),
}

impl From<WireError> for HandshakeError {
    fn from(error: WireError) -> Self {
        HandshakeError::Wire(error)
    }
}

/// The server's side: `Ok` once the client proved it knows `key`.
pub(crate) fn accept(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), HandshakeError> {
    let challenge = random_nonce()?;
    write_frame(
        stream,
        &Challenge {
            nonce: challenge.clone(),
        },
    )?;
    let answer: Answer = read_frame(stream)?;
    if !verify(key, b"client", &challenge, &answer.digest) {
        // Best effort: the client learns why before the connection closes.
        let _ = write_frame(stream, &Verdict::Refused);
        return Err(HandshakeError::KeyRefused);
    }
    let digest = digest(key, b"server", &answer.nonce);
    write_frame(stream, &Verdict::Welcome { digest })?;
    Ok(())
}

/// The client's side: `Ok` once both sides proved they know `key`.
pub(crate) fn connect(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), HandshakeError> {
    let challenge: Challenge = read_frame(stream)?;
    let nonce = random_nonce()?;
    let answer = Answer {
        digest: digest(key, b"client", &challenge.nonce),
        nonce: nonce.clone(),
    };
    write_frame(stream, &answer)?;
    match read_frame(stream)? {
        Verdict::Refused => Err(HandshakeError::KeyRefused),
        Verdict::Welcome { digest } if verify(key, b"server", &nonce, &digest) => Ok(()),
        Verdict::Welcome { .. } => Err(HandshakeError::ServerUnproven),
    }
}

fn mac(key: &[u8], role: &[u8], nonce: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(role);
    mac.update(nonce);
    mac
}

fn digest(key: &[u8], role: &[u8], nonce: &[u8]) -> Vec<u8> {
    mac(key, role, nonce).finalize().into_bytes().to_vec()
}

/// Compares in constant time.
fn verify(key: &[u8], role: &[u8], nonce: &[u8], digest: &[u8]) -> bool {
    mac(key, role, nonce).verify_slice(digest).is_ok()
}

/// Fresh random bytes from the operating system.
pub(crate) fn random_nonce() -> Result<Vec<u8>, WireError> {
    let mut nonce = vec![0; NONCE_LEN];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| source.read_exact(&mut nonce))
        .map_err(WireError::Io)?;
    Ok(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    fn handshake(
        server_key: &'static [u8],
        client_key: &[u8],
    ) -> (Result<(), HandshakeError>, Result<(), HandshakeError>) {
        let (mut server, mut client) = UnixStream::pair().unwrap();
        let server = std::thread::spawn(move || accept(&mut server, server_key));
        let client = connect(&mut client, client_key);
        (server.join().unwrap(), client)
    }

    #[test]
    fn the_same_key_passes_both_ways() {
        let (server, client) = handshake(b"secret", b"secret");
        assert!(server.is_ok() && client.is_ok());
    }

    #[test]
    fn a_wrong_key_is_refused_on_both_sides() {
        let (server, client) = handshake(b"secret", b"guess");
        assert!(matches!(server, Err(HandshakeError::KeyRefused)));
        assert!(matches!(client, Err(HandshakeError::KeyRefused)));
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(random_nonce().unwrap(), random_nonce().unwrap());
    }
}
