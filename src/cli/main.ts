// Entry point of the `aftercare` command (bin/aftercare.js runs the compiled copy). Sets the
// exit code instead of calling process.exit, so piped output is flushed before the process ends.
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);
