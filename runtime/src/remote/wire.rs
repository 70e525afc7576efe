//! Frames on a byte stream: a 4-byte big-endian length, then that many bytes of JSON. A frame is
//! acted on only once it has arrived whole, and its length is checked before anything is
//! allocated, so a peer that dies mid-message or announces a huge one changes nothing. Readers
//! read through a buffer, so a frame costs one `read` and one `write`.

use std::fmt;
use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The largest frame either side accepts: 16 MiB.
pub(crate) const MAX_FRAME: usize = 16 << 20;

/// Why a frame could not be read or written.
#[derive(Debug)]
pub(crate) enum WireError {
    /// The peer closed the stream before a frame began.
    Closed,
    /// The stream failed, or ended inside a frame.
    Io(io::Error),
    /// The announced length exceeds [`MAX_FRAME`].
    Oversized(usize),
    /// The frame is not the JSON message expected.
    Malformed(String),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Closed => f.write_str("the connection was closed"),
            WireError::Io(error) => write!(f, "the connection failed: {error}"),
            WireError::Oversized(len) => write!(
                f,
                "a message of {len} bytes exceeds the limit of {MAX_FRAME} bytes"
            ),
            WireError::Malformed(error) => write!(f, "malformed message: {error}"),
        }
    }
}

/// Writes `message` as one frame, in one `write`: the length is filled in ahead of the body in
/// the same buffer.
pub(crate) fn write_frame<M: Serialize>(
    stream: &mut impl Write,
    message: &M,
) -> Result<(), WireError> {
    let mut frame = vec![0; 4];
    serde_json::to_writer(&mut frame, message).map_err(|e| WireError::Malformed(e.to_string()))?;
    let len = frame.len() - 4;
    if len > MAX_FRAME {
        return Err(WireError::Oversized(len));
    }
    frame[..4].copy_from_slice(&(len as u32).to_be_bytes());
    stream.write_all(&frame).map_err(WireError::Io)?;
    stream.flush().map_err(WireError::Io)
}

/// Reads one whole frame and parses it as an `M`.
pub(crate) fn read_frame<M: DeserializeOwned>(stream: &mut impl Read) -> Result<M, WireError> {
    let body = read_body(stream)?;
    serde_json::from_slice(&body).map_err(|e| WireError::Malformed(e.to_string()))
}

/// The bytes of one whole frame.
fn read_body(stream: &mut impl Read) -> Result<Vec<u8>, WireError> {
    let mut header = [0u8; 4];
    let mut filled = 0;
    while filled < header.len() {
        match stream.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Err(WireError::Closed),
            Ok(0) => return Err(WireError::Io(io::ErrorKind::UnexpectedEof.into())),
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(WireError::Io(error)),
        }
    }
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_FRAME {
        return Err(WireError::Oversized(len));
    }
    let mut body = vec![0; len];
    stream.read_exact(&mut body).map_err(WireError::Io)?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &("put", 7)).unwrap();
        let back: (String, i32) = read_frame(&mut bytes.as_slice()).unwrap();
        assert_eq!(back, ("put".to_owned(), 7));
    }

    #[test]
    fn an_oversized_length_is_refused_before_reading_the_body() {
        let bytes = ((MAX_FRAME + 1) as u32).to_be_bytes();
        let error = read_frame::<()>(&mut bytes.as_slice()).unwrap_err();
        assert!(matches!(error, WireError::Oversized(len) if len == MAX_FRAME + 1));
    }

    #[test]
    fn a_truncated_frame_is_an_error_not_a_message() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &"a whole message").unwrap();
        bytes.truncate(bytes.len() - 3);
        assert!(matches!(
            read_frame::<String>(&mut bytes.as_slice()),
            Err(WireError::Io(_))
        ));
        assert!(matches!(
            read_frame::<String>(&mut [].as_slice()),
            Err(WireError::Closed)
        ));
    }

    #[test]
    fn malformed_json_is_named() {
        let mut bytes = 3u32.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"{{{");
        assert!(matches!(
            read_frame::<String>(&mut bytes.as_slice()),
            Err(WireError::Malformed(_))
        ));
    }
}
