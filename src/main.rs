//! `county-atlas`: without a subcommand it opens the map window; with one it works headless.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    quiet_vulkan_without_a_session();
    county_atlas::io::remove_temporaries_on_signals();
    let args = cli::Cli::parse();
    let Some(command) = args.command else {
        return match open_window(args.lang, started) {
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
    // Errors quote the user's files (headers, names): no escape sequence reaches the terminal.
    county_atlas::format::terminal_safe(&message).into_owned()
}

/// The name eframe stores the window's state under.
const APP_ID: &str = "county-atlas";

/// Opens the map window (blocks until it is closed). `--lang` on the command line wins over
/// the language saved with the view. The saved state is checked first: a bad one must not
/// stop the window from starting.
///
/// With `COUNTY_ATLAS_TIMING` set, it says on stderr when each step of the start ended: the
/// data and geometry built, the window and device up, the first frame with the map laid out.
fn open_window(
    lang: Option<county_atlas::i18n::Lang>,
    started: std::time::Instant,
) -> anyhow::Result<()> {
    if !has_display() {
        anyhow::bail!(
            "没有找到显示器(未设置 DISPLAY 或 WAYLAND_DISPLAY),地图窗口无法打开;命令行子命令无需显示器即可使用(county-atlas --help) / no display was found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the map window cannot open; the command-line subcommands work without one (county-atlas --help)"
        );
    }
    let notices = county_atlas::app::saved_state::check(APP_ID);
    end_cleanly_when_the_display_ends();
    let timing = std::env::var_os("COUNTY_ATLAS_TIMING").is_some();
    let say = move |step: &str| {
        if timing {
            eprintln!(
                "start: {step} {:.0} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
        }
    };
    let workspace = std::sync::Arc::new(county_atlas::scene::Workspace::builtin()?);
    say("data and geometry");
    eframe::run_native(
        APP_ID,
        county_atlas::app::native_options(),
        Box::new(move |cc| {
            say("window and device");
            let mut app = county_atlas::app::AtlasApp::new(cc, workspace);
            say("map uploaded");
            if timing {
                app.time_first_frame(started);
            }
            if let Some(lang) = lang {
                app.view.lang = lang;
            }
            app.tell(&notices);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| match e {
        // No adapter could draw to the window: say so plainly, and what works without one.
        eframe::Error::Wgpu(e) => anyhow::anyhow!(
            "没有可用的图形驱动(Vulkan 或 OpenGL),地图窗口无法打开;Debian 上可安装 mesa-vulkan-drivers(软件渲染)。命令行无需显卡即可导出 PNG、SVG 和 PDF(county-atlas export --help) / no usable graphics driver (Vulkan or OpenGL) was found, so the map window cannot open; on Debian, mesa-vulkan-drivers provides a software one. The command line exports PNG, SVG and PDF without any (county-atlas export --help). [{e}]"
        ),
        e => anyhow::anyhow!(
            "地图窗口无法打开:{e};命令行子命令无需显示器或显卡即可使用(county-atlas --help) / the map window could not open: {e}; the command-line subcommands work without a display or graphics card (county-atlas --help)"
        ),
    })
}

/// winit panics when the display server destroys the window or goes away (an X11 error it
/// unwraps). Such a panic is no bug of the atlas: the view is saved (as last remembered) and
/// the process ends with a plain message instead of a backtrace. Any other panic is reported
/// as before.
fn end_cleanly_when_the_display_ends() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_winit = info
            .location()
            .is_some_and(|l| l.file().contains("/winit-") || l.file().contains("/x11rb"));
        if !in_winit {
            return report(info);
        }
        let saved = county_atlas::app::saved_state::save_remembered(APP_ID);
        eprintln!(
            "error: 显示服务器关闭了地图窗口{} / the display server closed the map window{}",
            if saved { ",所选内容已保存" } else { "" },
            if saved {
                "; your choices were saved"
            } else {
                ""
            }
        );
        std::process::exit(1);
    }));
}

/// Whether a display server is named in the environment (X11 or Wayland) where winit needs
/// one; elsewhere (macOS, Windows) there always is one.
fn has_display() -> bool {
    if cfg!(all(unix, not(target_os = "macos"))) {
        ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    } else {
        true
    }
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
