// Events for the core without VS Code. `Emitter.event` has the shape of `vscode.Event`, so an
// adapter hands a core event to VS Code code as it is, and the tests subscribe on plain Node.
import { logFailure } from './log';

export interface Disposable {
  dispose(): void;
}

/** Structurally a `vscode.Event<T>`. */
export type Event<T> = (
  listener: (e: T) => unknown,
  thisArgs?: unknown,
  disposables?: Disposable[],
) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : (e: T) => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const subscription = {
      dispose: () => {
        this.listeners.delete(bound);
      },
    };
    disposables?.push(subscription);
    return subscription;
  };

  /** Calls every listener; one that throws is logged and the others still run. */
  fire(e: T): void {
    for (const listener of Array.from(this.listeners)) {
      try {
        listener(e);
      } catch (error) {
        logFailure('an event listener', error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
