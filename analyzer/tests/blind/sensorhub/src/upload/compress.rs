use racecheck::Pool;

use super::UploadBatch;

/// Packs upload payloads on a small pool of its own, so a burst of uploads does not hold the
/// uploader threads on CPU work.
pub struct Compressor {
    pool: Pool,
}

impl Compressor {
    pub fn new(workers: usize) -> Self {
        Compressor {
            pool: Pool::new(workers),
        }
    }

    pub fn compress(&self, batch: UploadBatch) -> Vec<u8> {
        self.pool.apply(move || pack(batch.encode().as_bytes()))
    }

    /// Lets the pool finish what it was given and waits for its workers.
    pub fn shutdown(&self) {
        self.pool.close();
        if let Err(error) = self.pool.join() { // CLEAN: pool-join-while-open: the pool is closed on the line before
            eprintln!("compression pool did not wind down: {error}");
        }
    }
}

/// Run-length encoding: good enough for the repetitive text batches encode to.
fn pack(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2 + 2);
    let mut iter = input.iter().peekable();
    while let Some(&byte) = iter.next() {
        let mut run = 1u8;
        while run < u8::MAX && iter.peek() == Some(&&byte) {
            iter.next();
            run += 1;
        }
        out.push(run);
        out.push(byte);
    }
    out
}
