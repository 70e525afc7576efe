//! Keeping an explored `main`'s own output to one copy: every schedule runs the program's
//! `println!`s again, so after the first schedule the process's stdout goes to the null device
//! until exploration ends. On platforms other than Unix stdout stays as it is.

use std::io::Write;

/// While alive, the process's stdout (file descriptor 1) writes to `/dev/null`; dropping it
/// puts the original stdout back.
pub(crate) struct QuietStdout {
    #[cfg(unix)]
    saved: libc::c_int,
}

impl QuietStdout {
    /// Redirects stdout, after flushing what was printed so far; `None` if it cannot.
    pub(crate) fn start() -> Option<QuietStdout> {
        let _ = std::io::stdout().flush();
        Self::redirect()
    }

    #[cfg(unix)]
    fn redirect() -> Option<QuietStdout> {
        // SAFETY: plain descriptor calls on descriptors this function owns or on stdout; each
        // result is checked before it is used.
        unsafe {
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if null < 0 {
                return None;
            }
            let saved = libc::dup(libc::STDOUT_FILENO);
            let redirected = saved >= 0 && libc::dup2(null, libc::STDOUT_FILENO) >= 0;
            libc::close(null);
            if !redirected {
                if saved >= 0 {
                    libc::close(saved);
                }
                return None;
            }
            Some(QuietStdout { saved })
        }
    }

    #[cfg(not(unix))]
    fn redirect() -> Option<QuietStdout> {
        None
    }
}

impl Drop for QuietStdout {
    fn drop(&mut self) {
        // What the program printed since goes to the null device, not to the restored stdout.
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        // SAFETY: `saved` is the descriptor `redirect` duplicated from stdout and nothing else
        // closed it.
        unsafe {
            libc::dup2(self.saved, libc::STDOUT_FILENO);
            libc::close(self.saved);
        }
    }
}
