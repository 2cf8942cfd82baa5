import type { CliIo } from './io.js';

/**
 * `inkling calibrate`: fits the intent model's weights to a site's own outcomes. The tool lives in
 * `src/calibrate/`; it is imported only when asked for, so `serve` never loads it.
 */
export async function calibrateDispatch(args: string[], io: CliIo): Promise<number> {
  let command: (args: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }) => Promise<number>;
  try {
    ({ calibrateCommand: command } = await import('../calibrate/command.js'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    io.stderr('inkling calibrate: the calibration tool is not part of this build of @inkling/receiver; reinstall the package or build it from a complete checkout\n');
    return 1;
  }
  return command(args, { stdout: io.stdout, stderr: io.stderr });
}
