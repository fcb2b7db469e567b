// Where Portolan's providers apply and what they declare, shared by the stand-ins activation
// registers (standIns.ts) and the providers themselves, without loading either.
import vscode = require('vscode');

/** Every file Portolan can read, by scheme: `dotenv`, `nginx`, `dockercompose` are other extensions' language ids. */
export const PORTOLAN_DOCUMENTS: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-vfs' },
  { scheme: 'vscode-remote' },
];

export const PORTS_VIEW_ID = 'portolan.ports';

/** What the code action provider offers, as VS Code asks before calling it. */
export function codeActionMetadata(): vscode.CodeActionProviderMetadata {
  return { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
}
