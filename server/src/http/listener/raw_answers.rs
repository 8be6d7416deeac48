//! hyper answers some requests itself, before the app sees them: a head larger than the buffer
//! (`431`), a URI too long (`414`), a malformed request (`400`). Those answers would carry no
//! security headers; this connection wrapper adds them to any answer head written without them.

use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::rt::{Read, ReadBufCursor, Write};

use super::super::{HSTS, SECURITY_HEADERS};

pub struct RawAnswers<I> {
    inner: I,
    hsts: bool,
    /// An answer with the headers added, being written; `consumed` is what the caller gave.
    pending: Option<Pending>,
}

struct Pending {
    bytes: Vec<u8>,
    written: usize,
    consumed: usize,
}

impl<I> RawAnswers<I> {
    pub fn new(inner: I, hsts: bool) -> RawAnswers<I> {
        RawAnswers {
            inner,
            hsts,
            pending: None,
        }
    }
}

/// `name: value\r\n` for each header every answer carries.
pub fn append_security_headers(out: &mut Vec<u8>, hsts: bool) {
    let mut line = |name: &str, value: &str| {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    for (name, value) in SECURITY_HEADERS {
        line(name.as_str(), value);
    }
    line("cache-control", "no-store");
    if hsts {
        line("strict-transport-security", HSTS);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `buf` with the security headers added when it starts with an answer head that has none.
fn with_security_headers(buf: &[u8], hsts: bool) -> Option<Vec<u8>> {
    if !buf.starts_with(b"HTTP/1.") {
        return None;
    }
    let head = &buf[..find(buf, b"\r\n\r\n")?];
    let marker = b"\r\nx-content-type-options:";
    if head.to_ascii_lowercase().windows(marker.len()).any(|w| w == marker) {
        return None;
    }
    let status_line = find(head, b"\r\n")? + 2;
    let mut out = Vec::with_capacity(buf.len() + 512);
    out.extend_from_slice(&buf[..status_line]);
    append_security_headers(&mut out, hsts);
    out.extend_from_slice(&buf[status_line..]);
    Some(out)
}

impl<I: Read + Unpin> Read for RawAnswers<I> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<I: Write + Unpin> Write for RawAnswers<I> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.is_none()
            && let Some(bytes) = with_security_headers(buf, this.hsts)
        {
            this.pending = Some(Pending {
                bytes,
                written: 0,
                consumed: buf.len(),
            });
        }
        let Some(p) = this.pending.as_mut() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        while p.written < p.bytes.len() {
            match Pin::new(&mut this.inner).poll_write(cx, &p.bytes[p.written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => p.written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let consumed = p.consumed;
        this.pending = None;
        Poll::Ready(Ok(consumed))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_without_the_headers_gets_them_once() {
        let raw = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        let fixed = with_security_headers(raw, false).unwrap_or_default();
        let text = String::from_utf8_lossy(&fixed);
        assert!(
            text.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\nx-content-type-options: nosniff\r\n")
        );
        assert!(text.contains("content-security-policy: default-src 'none'"));
        assert!(text.ends_with("content-length: 0\r\n\r\n"));
        assert!(with_security_headers(&fixed, false).is_none(), "not twice");
        assert!(
            with_security_headers(b"{\"a\": 1}", false).is_none(),
            "a body is left alone"
        );
    }
}
