/**
 * A visitors file or an option `inkling calibrate` cannot use. The message says where (`row 17, column
 * pricing_views`) and what was expected; `code` is stable for programs.
 */
export class CalibrateError extends Error {
  /** `bad_csv` (the file's shape), `bad_value` (one cell), `bad_data` (the rows cannot be fitted), `bad_option`. */
  readonly code: 'bad_csv' | 'bad_value' | 'bad_data' | 'bad_option';

  constructor(code: CalibrateError['code'], message: string) {
    super(message);
    this.name = 'CalibrateError';
    this.code = code;
  }
}
