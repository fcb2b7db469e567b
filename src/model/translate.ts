// How the core speaks the user's language without knowing VS Code: functions that produce messages
// take a `t` (`vscode.l10n.t` in the extension); the CLI and tests use the plain English formatter.

/** `vscode.l10n.t` in the extension, a plain `{0}` formatter elsewhere. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** English, with `{0}`, `{1}`... replaced by the arguments. */
export const formatPlain: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) =>
    Number(index) < args.length ? String(args[Number(index)]) : whole,
  );
