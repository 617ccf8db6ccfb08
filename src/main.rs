//! `county-atlas`: without a subcommand it opens the map window; with one it works headless.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
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

/// `county-atlas units | head` closes the pipe early; that is not a failure.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
