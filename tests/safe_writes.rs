//! Writing exports safely, through the real binary: what `--out` may name, what is refused,
//! and that no temporary file outlives an interrupted export.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_county-atlas"));
    command
        .args(args)
        .env_remove("COUNTY_ATLAS_LANG")
        .current_dir(std::env::temp_dir());
    command
}

/// Fails with exit code 1 and a message on stderr, not a panic; returns the message.
fn fails(args: &[&str]) -> String {
    let output: Output = command(args).output().unwrap();
    let message = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
    assert!(!message.contains("panicked"), "{message}");
    message
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The names in `dir` of this program's temporary files.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".county-atlas-") && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_folder_given_to_out_is_refused_with_a_pointer_to_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let with_slash = format!("{}/", s(dir.path()));
    for out in [with_slash.as_str(), s(dir.path())] {
        let message = fails(&["export", "--layer", "population", "--out", out]);
        assert!(message.contains("--out-dir"), "{message}");
        assert!(!message.contains("Not a directory"), "{message}");
    }
}

#[test]
fn an_unknown_extension_is_refused_unless_a_format_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.csv");
    let message = fails(&["export", "--layer", "population", "--out", s(&out)]);
    assert!(message.contains("--format"), "{message}");
    assert!(!out.exists());
    let status = command(&[
        "export",
        "--layer",
        "population",
        "--format",
        "svg",
        "--out",
        s(&out),
    ])
    .status()
    .unwrap();
    assert!(status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("<svg"));
}

#[test]
fn the_input_csv_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("values.csv");
    let text = "adcode,value\n510104,1\n510105,2\n";
    std::fs::write(&csv, text).unwrap();
    let message = fails(&[
        "export",
        "--data",
        s(&csv),
        "--column",
        "value",
        "--format",
        "png",
        "--out",
        s(&csv),
    ]);
    assert!(message.contains("--data"), "{message}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), text);
}

#[cfg(unix)]
#[test]
fn a_link_or_a_fifo_at_out_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let link = dir.path().join("map.svg");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let message = fails(&["export", "--layer", "population", "--out", s(&link)]);
    assert!(
        message.contains("符号链接") && message.contains("symbolic link"),
        "{message}"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");

    let fifo = dir.path().join("pipe.svg");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let message = fails(&["export", "--layer", "population", "--out", s(&fifo)]);
    assert!(message.contains("not a regular file"), "{message}");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(temporaries(dir.path()).is_empty());
}

/// Starts an SVG export into `dir` that holds its temporary file open, and waits until the
/// temporary file exists.
fn export_held_open(dir: &Path) -> (Child, PathBuf) {
    let out = dir.join("map.svg");
    let child = command(&["export", "--layer", "population", "--out", s(&out)])
        .env("COUNTY_ATLAS_TEST_HOLD_WRITE_MS", "60000")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while temporaries(dir).is_empty() {
        assert!(Instant::now() < deadline, "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, out)
}

#[cfg(unix)]
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let (mut child, out) = export_held_open(dir.path());
        // SAFETY: sending a signal to our own child, whose pid is valid until it is waited for.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal), "ended by the signal itself");
        assert!(temporaries(dir.path()).is_empty(), "signal {signal}");
        assert!(!out.exists());
    }
}

#[cfg(unix)]
#[test]
fn a_killed_exports_temporary_file_is_swept_by_the_next_export() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, out) = export_held_open(dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(temporaries(dir.path()).len(), 1, "SIGKILL cannot be caught");
    let status = command(&["export", "--layer", "population", "--out", s(&out)])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(temporaries(dir.path()).is_empty());
    assert!(out.exists());
}
