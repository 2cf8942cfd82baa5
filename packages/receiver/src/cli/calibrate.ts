import type { CliIo } from './io.js';

/**
 * `inkling calibrate`: fits the intent model's weights to a site's own outcomes. The tool lives in
 * `src/calibrate/`; it is imported only when asked for, so `serve` never loads it.
 */
export async function calibrateDispatch(args: string[], io: CliIo): Promise<number> {
  const { calibrateCommand } = await import('../calibrate/command.js');
  return calibrateCommand(args, io);
}
