// What activation registers in place of Portolan's providers, commands and view, so that activate()
// loads and runs almost nothing: each stand-in hands its calls to the real one, loading Portolan's
// services (esbuild.mjs LAZY_CHUNKS `services`) first when they are not loaded yet.
import vscode = require('vscode');
import { codeActionMetadata, PORTOLAN_DOCUMENTS, PORTS_VIEW_ID } from './contributions';

/** The providers the services build, as the stand-ins call them. */
export interface ServiceProviders {
  readonly hover: vscode.HoverProvider;
  readonly codeActions: vscode.CodeActionProvider;
  readonly definition: vscode.DefinitionProvider;
  readonly references: vscode.ReferenceProvider;
  readonly rename: vscode.RenameProvider & Required<Pick<vscode.RenameProvider, 'prepareRename'>>;
}

/** The hover, code action, definition, reference and rename providers, each loading the services on its first call. */
export function registerProviderStandIns(load: () => ServiceProviders): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(PORTOLAN_DOCUMENTS, {
      provideHover: (document, position, token) => load().hover.provideHover(document, position, token),
    }),
    vscode.languages.registerCodeActionsProvider(
      PORTOLAN_DOCUMENTS,
      {
        provideCodeActions: (document, range, context, token) =>
          load().codeActions.provideCodeActions(document, range, context, token),
      },
      codeActionMetadata(),
    ),
    vscode.languages.registerDefinitionProvider(PORTOLAN_DOCUMENTS, {
      provideDefinition: (document, position, token) =>
        load().definition.provideDefinition(document, position, token),
    }),
    vscode.languages.registerReferenceProvider(PORTOLAN_DOCUMENTS, {
      provideReferences: (document, position, context, token) =>
        load().references.provideReferences(document, position, context, token),
    }),
    vscode.languages.registerRenameProvider(PORTOLAN_DOCUMENTS, {
      prepareRename: (document, position, token) => load().rename.prepareRename(document, position, token),
      provideRenameEdits: (document, position, newName, token) =>
        load().rename.provideRenameEdits(document, position, newName, token),
    }),
  );
}

/**
 * The contributed commands until the services register their own: running one loads the services
 * (which first dispose these, see `dispose`), then runs the command they registered.
 */
export class CommandStandIns implements vscode.Disposable {
  private readonly registrations: vscode.Disposable[];

  constructor(commands: readonly string[], load: () => void) {
    this.registrations = commands.map((command) =>
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        load();
        const run: (command: string, ...rest: unknown[]) => Thenable<unknown> =
          vscode.commands.executeCommand;
        return Reflect.apply(run, vscode.commands, [command, ...args]);
      }),
    );
  }

  dispose(): void {
    for (const registration of this.registrations.splice(0)) {
      registration.dispose();
    }
  }
}

/**
 * The Ports view's data provider until the services give theirs (`connect`): VS Code asks for the
 * view's content only once the view is shown, and that first question loads the services. The view
 * itself is created at activation, so VS Code never finds it without a provider.
 */
export class PortsViewStandIn<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private provider: vscode.TreeDataProvider<T> | undefined;
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  private forwarding: vscode.Disposable | undefined;
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<T>;

  constructor(private readonly load: () => void) {
    this.view = vscode.window.createTreeView(PORTS_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
  }

  /** Hands the view to the real provider; VS Code keeps talking to this object. */
  connect(provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    this.provider = provider;
    this.forwarding?.dispose();
    this.forwarding = provider.onDidChangeTreeData?.((changed) => this.changed.fire(changed));
    return this.view;
  }

  private loaded(): vscode.TreeDataProvider<T> {
    this.load();
    if (!this.provider) {
      throw new Error('Portolan: the Ports view has no data provider');
    }
    return this.provider;
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.loaded().getChildren(element);
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.loaded().getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.loaded().getParent?.(element);
  }

  resolveTreeItem(
    item: vscode.TreeItem,
    element: T,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.TreeItem> {
    const provider = this.loaded();
    return provider.resolveTreeItem ? provider.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
    this.view.dispose();
  }
}
