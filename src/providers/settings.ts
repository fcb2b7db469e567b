import * as vscode from 'vscode';
import { affectsPortolan, readConfig, type PortolanConfig } from './config';

/** Holds the current settings snapshot and says when it changes. */
export class Settings implements vscode.Disposable {
  private snapshot: PortolanConfig;
  private readonly changed = new vscode.EventEmitter<PortolanConfig>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor() {
    this.snapshot = readConfig();
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsPortolan(e)) {
          this.reload();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    );
  }

  get current(): PortolanConfig {
    return this.snapshot;
  }

  private reload(): void {
    this.snapshot = readConfig();
    this.changed.fire(this.snapshot);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
