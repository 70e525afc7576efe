//! Inputs that cannot be analyzed are reported (rustc-style, naming the file) beside the findings
//! of every other file, and make the exit status 2; nothing panics or hangs.
use crate::{Project, UNKNOWN_ALLOW};

/// A folder with one good file (one U001 finding) beside whatever the test adds.
fn project(name: &str) -> Project {
    let project = Project::empty(name);
    project.write("good.rs", format!("fn good() {{}} {UNKNOWN_ALLOW}\n"));
    project
}

fn assert_good_file_analyzed(run: &crate::Run) {
    assert!(
        run.stdout.contains("warning[U001]") && run.stdout.contains("good.rs"),
        "{run:?}"
    );
}

#[test]
fn a_missing_path_is_reported_and_the_rest_is_analyzed() {
    let project = project("missing");
    let run = project.run(&["good.rs", "missing.rs", "--color", "never"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .starts_with("error: missing.rs: No such file or directory"),
        "{}",
        run.stdout
    );
    assert_good_file_analyzed(&run);
    assert!(
        run.stdout
            .ends_with("racecheck: 1 warning in 1 file; 1 input could not be analyzed\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_non_utf8_file_is_reported_with_its_position() {
    let project = project("non-utf8");
    project.write("latin1.rs", b"fn main() {}\n// caf\xe9\n");
    let run = project.run(&[".", "--color", "never"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("error: file is not valid UTF-8 (invalid byte at line 2, column 7)\n --> latin1.rs:2:7\n"),
        "{}",
        run.stdout
    );
    assert_good_file_analyzed(&run);
}

#[test]
fn an_unparsable_file_is_reported_and_the_others_analyzed() {
    let project = project("unparsable");
    project.write("broken.rs", "fn broken( {\n");
    let run = project.run(&[".", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["errors"][0]["path"], "broken.rs");
    assert_eq!(document["diagnostics"][0]["primary"]["file"], "good.rs");
}

#[test]
fn files_count_alike_whether_they_fail_to_parse_or_to_decode() {
    let count = |name: &str, broken: &[u8]| {
        let project = project(name);
        project.write("broken.rs", broken);
        let run = project.run(&[".", "--format", "json"]);
        assert_eq!(run.code, 2, "{run:?}");
        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        document["summary"]["files"].clone()
    };
    assert_eq!(count("count-parse", b"fn broken( {\n"), 2);
    assert_eq!(count("count-decode", b"// caf\xe9\n"), 2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_by_name() {
    let project = project("symlink-loop");
    std::fs::create_dir_all(project.path("nested")).unwrap();
    std::os::unix::fs::symlink("..", project.path("nested/up")).unwrap();
    std::os::unix::fs::symlink("self.rs", project.path("self.rs")).unwrap();
    let run = project.run(&[".", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<(&str, &str)> = document["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|(path, message)| *path == "nested/up" && message.contains("loop")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|(path, _)| *path == "self.rs"),
        "{errors:?}"
    );
    assert_eq!(document["diagnostics"][0]["primary"]["file"], "good.rs");
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_refused_not_read() {
    let project = project("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(project.path("pipe.rs"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = project.run(&["pipe.rs", "good.rs", "--color", "never"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .starts_with("error: pipe.rs: not a regular file or folder"),
        "{}",
        run.stdout
    );
    // Walking a folder skips it without blocking on it either.
    assert_eq!(project.run(&["."]).code, 1);
}

#[test]
fn a_ten_megabyte_file_is_parsed_piece_by_piece_in_bounded_memory() {
    let project = project("huge");
    let function = "pub fn f() -> u64 {\n    let x = 1;\n    x + 1\n}\n";
    let mut text = String::with_capacity(10 * 1024 * 1024 + function.len());
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text += &function.replace("fn f", &format!("fn f{n}"));
        n += 1;
    }
    let size = text.len() as u64;
    project.write("huge.rs", &text);
    let (run, peak_kib) = run_measured(&project, &[".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["errors"], serde_json::json!([]));
    assert_eq!(document["diagnostics"][0]["primary"]["file"], "good.rs");
    // Whole, its syntax tree alone would take well over a gigabyte.
    let bound_kib = 20 * size / 1024 + (64 << 10);
    assert!(
        peak_kib <= bound_kib,
        "peak {peak_kib} KiB for a file of {size} bytes (bound {bound_kib} KiB)"
    );
}

/// Runs the binary in `project` as [`Project::run`] does, with the peak resident set (KiB) of
/// that child alone, as the kernel counted it.
pub(crate) fn run_measured(project: &Project, args: &[&str]) -> (crate::Run, u64) {
    use std::io::Read;
    // Reaped by `wait4` below, which std's `wait` cannot replace: it also reads the rusage.
    #[allow(clippy::zombie_processes)]
    let mut child = std::process::Command::new(crate::binary())
        .args(args)
        .current_dir(project.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run cargo-racecheck");
    let (mut stdout, mut stderr) = (String::new(), String::new());
    let stderr_pipe = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut stderr_pipe = stderr_pipe;
        let _ = stderr_pipe.read_to_string(&mut stderr);
        stderr
    });
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_string(&mut stdout)
        .expect("UTF-8 stdout");
    let stderr = reader.join().expect("stderr read");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is this process's own child, not waited for yet; both pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status), "killed by a signal");
    let run = crate::Run {
        code: libc::WEXITSTATUS(status),
        stdout,
        stderr,
    };
    (run, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

#[test]
fn blocks_nested_up_to_the_limit_are_analyzed() {
    let project = project("deep");
    let depth = 1_990;
    let text = format!(
        "fn main() {{\n{}let x = 1;{}\n}} {UNKNOWN_ALLOW}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    project.write("deep.rs", text);
    let run = project.run(&["deep.rs", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["errors"], serde_json::json!([]));
    assert_eq!(document["diagnostics"][0]["primary"]["line_start"], 3);
}
