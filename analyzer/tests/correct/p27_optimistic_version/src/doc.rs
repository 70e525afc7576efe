use racecheck::Lock;

#[derive(Clone)]
struct Page {
    version: u64,
    text: String,
}

pub struct Document {
    page: Lock<Page>,
}

impl Document {
    pub fn new() -> Self {
        Document { page: Lock::new(Page { version: 0, text: String::new() }) }
    }
    /// Optimistic edit: render outside the lock, commit only if nobody committed meanwhile.
    pub fn append_line(&self, who: &str) {
        loop {
            let (seen_version, seen_text) = {
                let p = self.page.acquire();
                (p.version, p.text.clone())
            };
            let rendered = format!("{seen_text}{who}\n");
            let mut p = self.page.acquire();
            if p.version == seen_version {
                p.text = rendered;
                p.version += 1;
                return;
            }
        }
    }
    pub fn read(&self) -> (u64, String) {
        let p = self.page.acquire();
        (p.version, p.text.clone())
    }
}
