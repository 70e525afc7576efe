use racecheck::{Condition, Lock};

use crate::sync_util::wait_flag;

pub struct Tracker {
    downloaded: Lock<bool>,
    download_cv: Condition,
    uploaded: Lock<bool>,
    upload_cv: Condition,
}

impl Tracker {
    pub fn new() -> Self {
        Tracker {
            downloaded: Lock::new(false),
            download_cv: Condition::new(),
            uploaded: Lock::new(false),
            upload_cv: Condition::new(),
        }
    }
    pub fn finish_download(&self) {
        *self.downloaded.acquire() = true;
        self.download_cv.notify_all();
    }
    pub fn finish_upload(&self) {
        *self.uploaded.acquire() = true;
        self.upload_cv.notify_all();
    }
    pub fn await_download(&self) {
        let _g = wait_flag(&self.download_cv, self.downloaded.acquire());
    }
    pub fn await_upload(&self) {
        let _g = wait_flag(&self.upload_cv, self.uploaded.acquire());
    }
}
