//! The LSP wire over stdin/stdout: `Content-Length` framed JSON-RPC messages, one reader and one
//! writer thread feeding an `lsp_server::Connection`. Unlike `Connection::stdio`, a malformed
//! message does not end the session: a body that is not JSON gets a `ParseError` reply, one that
//! is JSON but no message an `InvalidRequest` reply, and the reader goes on with the next frame.
use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

/// The reader and writer threads; joined when the session ends.
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        let panicked = |_| io::Error::other("an LSP I/O thread panicked");
        let reader = self.reader.join().map_err(panicked)?;
        let writer = self.writer.join().map_err(panicked)?;
        reader.and(writer)
    }
}

/// A connection over this process's stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, from_client) = unbounded::<Message>();
    let (to_client, from_server) = unbounded::<Message>();
    let writer = thread::spawn(move || write_messages(&from_server));
    let reader = thread::spawn(move || read_messages(&mut io::stdin().lock(), &to_server));
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { reader, writer })
}

fn write_messages(messages: &Receiver<Message>) -> io::Result<()> {
    for message in messages {
        message.write(&mut io::stdout().lock())?;
    }
    Ok(())
}

/// Reads frames until end of input or `exit`, forwarding each message to the server.
pub fn read_messages(input: &mut impl BufRead, server: &Sender<Message>) -> io::Result<()> {
    while let Some(frame) = read_frame(input)? {
        let message = match frame {
            Ok(body) => parse_message(&body),
            Err(problem) => Err(error_reply(
                Value::Null,
                ErrorCode::InvalidRequest,
                &problem,
            )),
        };
        match message {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || is_exit {
                    break;
                }
            }
            Err(reply) => write_raw(&mut io::stdout().lock(), &reply)?,
        }
    }
    Ok(())
}

/// The largest message body read: a larger `Content-Length` is refused before any allocation.
const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// One frame's body, or what was wrong with its header; `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<String, String>>> {
    let mut length = None;
    let mut line = String::new();
    let mut header_seen = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if header_seen {
                break;
            }
            continue;
        }
        header_seen = true;
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let Some(length) = length else {
        return Ok(Some(Err(
            "missing or invalid Content-Length header".to_owned()
        )));
    };
    if length > MAX_MESSAGE_BYTES {
        // Skip the body, so the stream stays framed for the messages after it.
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(Err(format!(
            "a message of {length} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes"
        ))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(
        String::from_utf8(body).map_err(|_| "the message body is not UTF-8".to_owned()),
    ))
}

/// A message, or the error reply a malformed one gets.
fn parse_message(body: &str) -> Result<Message, Value> {
    let value: Value = serde_json::from_str(body)
        .map_err(|e| error_reply(Value::Null, ErrorCode::ParseError, &e.to_string()))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| {
        error_reply(
            id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC message: {e}"),
        )
    })
}

fn error_reply(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code as i32, "message": message}})
}

fn write_raw(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn frames_are_read_one_after_another() {
        let text = frame("{\"a\":1}") + &frame("é");
        let mut input = io::Cursor::new(text.into_bytes());
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Some(Ok("{\"a\":1}".to_owned()))
        );
        assert_eq!(read_frame(&mut input).unwrap(), Some(Ok("é".to_owned())));
        assert_eq!(read_frame(&mut input).unwrap(), None);
    }

    #[test]
    fn malformed_bodies_get_json_rpc_errors() {
        let not_json = parse_message("{oops").unwrap_err();
        assert_eq!(not_json["error"]["code"], -32700);
        assert_eq!(not_json["id"], Value::Null);
        let not_a_message = parse_message("{\"method\": 3}").unwrap_err();
        assert_eq!(not_a_message["error"]["code"], -32600);
        let batch = parse_message("[1]").unwrap_err();
        assert_eq!(batch["error"]["code"], -32600);
        assert!(
            parse_message("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}").is_ok()
        );
    }

    #[test]
    fn an_oversized_frame_is_refused_and_skipped() {
        let huge = MAX_MESSAGE_BYTES + 1;
        let text = format!("Content-Length: {huge}\r\n\r\n") + &" ".repeat(huge) + &frame("{}");
        let mut input = io::Cursor::new(text.into_bytes());
        let refused = read_frame(&mut input).unwrap();
        assert!(
            matches!(&refused, Some(Err(e)) if e.contains("over the limit")),
            "{refused:?}"
        );
        assert_eq!(read_frame(&mut input).unwrap(), Some(Ok("{}".to_owned())));
    }

    #[test]
    fn a_length_beyond_the_input_ends_the_stream_without_allocating_it() {
        let text = "Content-Length: 99999999999999\r\n\r\n{}";
        let mut input = io::Cursor::new(text.as_bytes().to_vec());
        assert!(matches!(read_frame(&mut input).unwrap(), Some(Err(_))));
        assert_eq!(read_frame(&mut input).unwrap(), None);
    }

    #[test]
    fn a_frame_without_length_is_reported_and_skipped() {
        let text = "X-Other: 1\r\n\r\n".to_owned() + &frame("{}");
        let mut input = io::Cursor::new(text.into_bytes());
        assert!(matches!(read_frame(&mut input).unwrap(), Some(Err(_))));
        assert_eq!(read_frame(&mut input).unwrap(), Some(Ok("{}".to_owned())));
    }
}
