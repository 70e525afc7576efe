pub type PageId = usize;

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub url: Option<String>,
    pub aliases: Vec<String>,
    pub title: Option<String>,
    pub status: Option<u16>,
    pub bytes: usize,
    pub out_links: Vec<PageId>,
    pub in_links: Vec<PageId>,
    pub rank: f64,
    pub alias_of: Option<PageId>,
    pub keywords: Vec<String>,
    pub mentions: u64,
}

impl Page {
    pub fn assign(&mut self, url: String) {
        self.url = Some(url);
        self.mentions += 1;
    }

    pub fn link_out(&mut self, to: PageId) -> bool {
        if self.out_links.contains(&to) {
            return false;
        }
        self.out_links.push(to);
        true
    }

    pub fn link_in(&mut self, from: PageId) {
        if !self.in_links.contains(&from) {
            self.in_links.push(from);
        }
    }

    /// Folds `alias` (page id `alias_id`) into this page.
    pub fn absorb(&mut self, alias: &mut Page, alias_id: PageId, self_id: PageId) {
        for from in alias.in_links.drain(..) {
            if from != self_id && !self.in_links.contains(&from) {
                self.in_links.push(from);
            }
        }
        if let Some(url) = alias.url.clone() {
            if !self.aliases.contains(&url) {
                self.aliases.push(url);
            }
        }
        self.rank += alias.rank;
        self.mentions += alias.mentions;
        alias.rank = 0.0;
        alias.alias_of = Some(self_id);
        self.in_links.retain(|&p| p != alias_id);
    }
}
