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

/// The bytes of a stream read so far and not yet taken as frames: what a reader that never waits
/// keeps between its reads (the server's connections, read by whichever thread gets to them).
#[derive(Default)]
pub(crate) struct Inbox {
    bytes: Vec<u8>,
    /// Where the first frame not yet taken starts.
    start: usize,
}

impl Inbox {
    /// Adds what `read` gives until it has nothing more now (`Ok(None)`, or a read that did not
    /// fill the chunk: a stream gives all it holds at once): `Ok(false)` if the stream ended.
    pub(crate) fn fill(
        &mut self,
        mut read: impl FnMut(&mut [u8]) -> io::Result<Option<usize>>,
    ) -> io::Result<bool> {
        if self.start == self.bytes.len() {
            self.bytes.clear();
            self.start = 0;
        }
        let mut chunk = [0u8; 4096];
        loop {
            match read(&mut chunk)? {
                Some(0) => return Ok(false),
                Some(n) => {
                    self.bytes.extend_from_slice(&chunk[..n]);
                    if n < chunk.len() {
                        return Ok(true);
                    }
                }
                None => return Ok(true),
            }
        }
    }

    /// The next frame parsed as an `M`, once it has arrived whole (an oversized one is refused
    /// as soon as its length has arrived).
    pub(crate) fn next<M: DeserializeOwned>(&mut self) -> Option<Result<M, WireError>> {
        let waiting = &self.bytes[self.start..];
        let header: [u8; 4] = waiting.get(..4)?.try_into().expect("four bytes");
        let len = u32::from_be_bytes(header) as usize;
        if len > MAX_FRAME {
            return Some(Err(WireError::Oversized(len)));
        }
        let body = waiting.get(4..4 + len)?;
        let message = serde_json::from_slice(body).map_err(|e| WireError::Malformed(e.to_string()));
        self.start += 4 + len;
        Some(message)
    }
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

    /// A reader giving `chunks` one per read, then nothing for now.
    fn chunks<'a>(
        mut chunks: Vec<&'a [u8]>,
    ) -> impl FnMut(&mut [u8]) -> io::Result<Option<usize>> + 'a {
        chunks.reverse();
        move |buf| {
            Ok(chunks.pop().map(|chunk| {
                buf[..chunk.len()].copy_from_slice(chunk);
                chunk.len()
            }))
        }
    }

    #[test]
    fn an_inbox_gives_a_frame_only_once_it_is_whole() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &"first").unwrap();
        write_frame(&mut bytes, &"second").unwrap();
        let mut inbox = Inbox::default();
        assert!(inbox.fill(chunks(vec![&bytes[..3]])).unwrap());
        assert!(inbox.next::<String>().is_none(), "half a header");
        assert!(inbox
            .fill(chunks(vec![&bytes[3..bytes.len() - 1]]))
            .unwrap());
        assert_eq!(inbox.next::<String>().unwrap().unwrap(), "first");
        assert!(inbox.next::<String>().is_none(), "the second is not whole");
        assert!(inbox.fill(chunks(vec![&bytes[bytes.len() - 1..]])).unwrap());
        assert_eq!(inbox.next::<String>().unwrap().unwrap(), "second");
        assert!(inbox.next::<String>().is_none());
        assert!(!inbox.fill(chunks(vec![b""])).unwrap(), "the stream ended");
    }

    #[test]
    fn an_inbox_refuses_an_oversized_frame_from_its_length() {
        let mut inbox = Inbox::default();
        let header = ((MAX_FRAME + 1) as u32).to_be_bytes();
        inbox.fill(chunks(vec![&header])).unwrap();
        assert!(matches!(
            inbox.next::<()>(),
            Some(Err(WireError::Oversized(_)))
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
