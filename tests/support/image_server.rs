//! A tiny HTTP/1.1 test server on 127.0.0.1:0 (std only, thread per
//! connection, `Connection: close`). A handler maps `(path, nth request for
//! that path)` to a [`Reply`]; the server records every connection and
//! request so tests can assert on retries, caching and SSRF refusals.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How the body is sent.
#[derive(Clone, Debug)]
pub enum Body {
    /// With Content-Length.
    Bytes(Vec<u8>),
    /// Without Content-Length, delimited by closing the connection.
    NoLength(Vec<u8>),
    /// Content-Length of the whole, sent `chunk` by `chunk` with pauses.
    Drip {
        chunk: Vec<u8>,
        count: usize,
        interval: Duration,
    },
}

/// One response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Pause before sending anything (to observe concurrency).
    pub delay: Duration,
}

impl Reply {
    pub fn ok(bytes: &[u8]) -> Reply {
        Reply::status(200).body(Body::Bytes(bytes.to_vec()))
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
            delay: Duration::ZERO,
        }
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::status(302).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: Body) -> Reply {
        self.body = body;
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&str, usize) -> Reply + Send + Sync;

#[derive(Default)]
struct State {
    connections: AtomicUsize,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
    requests: Mutex<Vec<Recorded>>,
    stop: AtomicBool,
}

pub struct ImageServer {
    addr: SocketAddr,
    state: Arc<State>,
}

impl ImageServer {
    pub fn start(handler: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> ImageServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State::default());
        let handler: Arc<Handler> = Arc::new(handler);
        let st = state.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if st.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                st.connections.fetch_add(1, Ordering::SeqCst);
                let (st, handler) = (st.clone(), handler.clone());
                thread::spawn(move || serve(stream, &st, &*handler));
            }
        });
        ImageServer { addr, state }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    pub fn peak_in_flight(&self) -> usize {
        self.state.peak_in_flight.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    pub fn total_requests(&self) -> usize {
        self.requests().len()
    }
}

impl Drop for ImageServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn serve(stream: TcpStream, state: &State, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    let nth = {
        let mut requests = state.requests.lock().unwrap();
        let nth = requests.iter().filter(|r| r.path == request.path).count();
        requests.push(request.clone());
        nth
    };
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    let reply = handler(&request.path, nth);
    thread::sleep(reply.delay);
    let _ = write_reply(stream, &reply);
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Some(Recorded { path, headers })
}

fn reason(status: u16) -> &'static str {
    let reasons: HashMap<u16, &str> = [
        (200, "OK"),
        (302, "Found"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (503, "Service Unavailable"),
    ]
    .into_iter()
    .collect();
    reasons.get(&status).copied().unwrap_or("Status")
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status)
    );
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    match &reply.body {
        Body::Bytes(b) => head.push_str(&format!("Content-Length: {}\r\n", b.len())),
        Body::NoLength(_) => {}
        Body::Drip { chunk, count, .. } => {
            head.push_str(&format!("Content-Length: {}\r\n", chunk.len() * count))
        }
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match &reply.body {
        Body::Bytes(b) | Body::NoLength(b) => stream.write_all(b)?,
        Body::Drip {
            chunk,
            count,
            interval,
        } => {
            for _ in 0..*count {
                stream.write_all(chunk)?;
                stream.flush()?;
                thread::sleep(*interval);
            }
        }
    }
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}
