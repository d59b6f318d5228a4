// Preloaded into the Next.js server the local stack starts (NODE_OPTIONS=--require).
// The server runs in its own process group so Ctrl-C stops it in order, but that
// also means a SIGKILLed parent (a test runner's teardown, `kill -9`) would leave
// it running and holding the port. This makes it exit once its launcher is gone.
const launcher = Number(process.env.TSC_LAUNCHER_PID);
if (Number.isInteger(launcher) && launcher > 1) {
  const timer = setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch {
      process.exit(0);
    }
  }, 1000);
  timer.unref();
}
