use std::fmt::Write as _;
use std::thread;
use std::time::Duration;

use crate::config::WebConfig;
use crate::url::{Host, Url};

#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub elapsed: Duration,
}

impl Response {
    fn empty(status: u16, elapsed: Duration) -> Response {
        Response { status, content_type: "text/plain", body: String::new(), elapsed }
    }
}

pub trait Web: Send + Sync {
    fn get(&self, url: &Url) -> Response;

    fn describe(&self) -> String {
        "web".to_string()
    }
}

/// A deterministic, in-memory web: `siteN.test` hosts with numbered pages
/// under `/p/<n>` that link to each other and across hosts.
pub struct SimulatedWeb {
    cfg: WebConfig,
}

impl SimulatedWeb {
    pub fn new(cfg: WebConfig) -> SimulatedWeb {
        SimulatedWeb { cfg }
    }

    pub fn host_name(index: usize) -> String {
        format!("site{}.test", index)
    }

    fn host_index(&self, host: &Host) -> Option<usize> {
        let name = host.as_str();
        let n: usize = name.strip_prefix("site")?.strip_suffix(".test")?.parse().ok()?;
        if n < self.cfg.hosts {
            Some(n)
        } else {
            None
        }
    }

    fn page_number(path: &str) -> Option<usize> {
        if path == "/" {
            return Some(0);
        }
        path.strip_prefix("/p/")?.trim_end_matches('/').parse().ok()
    }

    fn latency(&self, h: u64) -> Duration {
        let span = self.cfg.max_latency_ms - self.cfg.min_latency_ms + 1;
        Duration::from_millis(self.cfg.min_latency_ms + h % span)
    }

    fn robots_body(&self, host: usize) -> String {
        let h = mix(host as u64 ^ self.cfg.seed);
        let mut body = String::from("# simulated robots.txt\n");
        body.push_str("User-agent: badbot\nDisallow: /\n\n");
        body.push_str("User-agent: *\n");
        body.push_str("Disallow: /private/\n");
        if h % 3 == 0 {
            let _ = writeln!(body, "Disallow: /p/{}", 1 + h % 7);
            let _ = writeln!(body, "Allow: /p/{}0", 1 + h % 7);
        }
        if h % 5 == 0 {
            body.push_str("Disallow: /p/0$\n");
        }
        if h % 4 == 1 {
            let _ = writeln!(body, "Crawl-delay: 0.0{}", 2 + h % 5);
        }
        body
    }

    fn page_body(&self, host: usize, page: usize, h: u64) -> String {
        let mut body = String::with_capacity(1024);
        let _ = write!(body, "<html><head><title>Page {} of site {}", page, host);
        if h % 53 != 5 {
            body.push_str("</title>");
        }
        if h % 11 == 3 {
            let _ = write!(body, "<link rel=\"canonical\" href=\"/p/{}\">", (page / 2) * 2);
        }
        body.push_str("</head><body>");
        let words = ["crawler", "graph", "rust", "thread", "queue", "robots", "link", "simulated"];
        for i in 0..12 {
            body.push_str(words[(mix(h.wrapping_add(i)) % words.len() as u64) as usize]);
            body.push(' ');
        }
        for i in 0..3 + h % 6 {
            let r = mix(h ^ (i + 1) * 0x9e37);
            let target = r % self.cfg.pages_per_host as u64;
            let href = match r % 10 {
                0 | 1 => format!("http://{}/p/{}", Self::host_name((r >> 8) as usize % self.cfg.hosts), target),
                2 => target.to_string(),
                3 => format!("../p/{}#frag", target),
                4 => "mailto:webmaster@example.test".to_string(),
                5 => format!("/private/{}", target),
                6 if h % 17 == 2 => format!("/p/{}>broken", target),
                _ => format!("/p/{}", target),
            };
            if href.ends_with(">broken") {
                let _ = write!(body, "<a href=\"{}</a>", href);
            } else {
                let _ = write!(body, "<a href=\"{}\">{}</a>", href, i);
            }
        }
        if h % 211 == 17 {
            body.push_str("\u{0}\u{1}\u{2}PK");
        }
        body.push_str("</body></html>");
        body
    }
}

impl Web for SimulatedWeb {
    fn get(&self, url: &Url) -> Response {
        let h = mix(hash_str(&url.to_string()) ^ self.cfg.seed);
        let elapsed = self.latency(h);
        thread::sleep(elapsed);
        let Some(host) = self.host_index(url.host()) else {
            return Response::empty(404, elapsed);
        };
        if url.path() == "/robots.txt" {
            if h % 23 == 0 {
                return Response::empty(404, elapsed);
            }
            return Response { status: 200, content_type: "text/plain", body: self.robots_body(host), elapsed };
        }
        let flaky = mix(host as u64 ^ self.cfg.seed) % 9 == 4;
        let error_per_mille = if flaky { 700 } else { u64::from(self.cfg.error_per_mille) };
        if h % 1000 < error_per_mille {
            return Response::empty(503, elapsed);
        }
        let Some(page) = Self::page_number(url.path()) else {
            return Response::empty(404, elapsed);
        };
        if page >= self.cfg.pages_per_host {
            return Response::empty(404, elapsed);
        }
        let body = self.page_body(host, page, h);
        Response { status: 200, content_type: "text/html; charset=utf-8", body, elapsed }
    }

    fn describe(&self) -> String {
        format!(
            "simulated web: {} hosts x {} pages, {}\u{2030} errors",
            self.cfg.hosts, self.cfg.pages_per_host, self.cfg.error_per_mille
        )
    }
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |acc, b| {
        (acc ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
