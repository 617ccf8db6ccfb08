//! `county-atlas`: without a subcommand it opens the map window; with one it works headless.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_vulkan_without_a_session();
    county_atlas::io::remove_temporaries_on_signals();
    let args = cli::Cli::parse();
    let Some(command) = args.command else {
        return match open_window(args.lang) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {}", report(&error));
                ExitCode::FAILURE
            }
        };
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = cli::run(command, args.lang.unwrap_or_default(), &mut out)
        .and_then(|()| out.flush().map_err(anyhow::Error::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            drop(out);
            eprintln!("error: {}", report(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, each said once: library errors already name their cause in
/// their message (so that the window can show them alone), and anyhow's chain would repeat it.
fn report(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    message
}

/// Opens the map window (blocks until it is closed). `--lang` on the command line wins over
/// the language saved with the view.
fn open_window(lang: Option<county_atlas::i18n::Lang>) -> anyhow::Result<()> {
    let workspace = std::sync::Arc::new(county_atlas::scene::Workspace::builtin()?);
    eframe::run_native(
        "county-atlas",
        county_atlas::app::native_options(),
        Box::new(move |cc| {
            let mut app = county_atlas::app::AtlasApp::new(cc, workspace);
            if let Some(lang) = lang {
                app.view.lang = lang;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the map window could not open: {e}; the subcommands work without a display (county-atlas --help)"))
}

/// `county-atlas units | head` closes the pipe early; that is not a failure. JSON output
/// fails inside serde_json, which wraps the I/O error in its own.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Outside a desktop session (a server, cron, CI) `XDG_RUNTIME_DIR` is unset, and Mesa's
/// Vulkan device-select layer, probing for a Wayland display, prints "error: XDG_RUNTIME_DIR
/// is invalid or not set" twice to stderr whenever a PNG export opens the device. The layer
/// only reorders adapters, which wgpu chooses among itself: Mesa's own switch turns it off
/// there. A user's own setting is left alone.
fn quiet_vulkan_without_a_session() {
    let session =
        std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| std::path::Path::new(&dir).is_dir());
    if !session && std::env::var_os("NODEVICE_SELECT").is_none() {
        // SAFETY: the first statement of `main`, before any thread exists that could read
        // the environment concurrently.
        unsafe { std::env::set_var("NODEVICE_SELECT", "1") };
    }
}
