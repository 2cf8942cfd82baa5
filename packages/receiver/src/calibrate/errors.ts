/**
 * A visitors file `inkling calibrate` cannot use, or a file it cannot read or write. The message says where
 * (`row 17, column pricing_views`, `--output`) and what was expected; `code` is stable for programs. A bad command
 * line is a `CliError`, like every other command's.
 */
export class CalibrateError extends Error {
  /** `bad_csv` (the file's shape), `bad_value` (one cell), `bad_data` (the rows cannot be fitted), `bad_file` (not readable or writable). */
  readonly code: 'bad_csv' | 'bad_value' | 'bad_data' | 'bad_file';

  constructor(code: CalibrateError['code'], message: string) {
    super(message);
    this.name = 'CalibrateError';
    this.code = code;
  }
}
